import { z } from "zod";

/** Each schema without its strictness: a component's args also carry wiring (networks, providers) beside settings. */
const lenient = new WeakMap<z.ZodObject, z.ZodObject>();

/**
 * A component's settings with every default filled in, from the args it was given. Invalid settings stop the
 * component with one line that names it and every problem, before it registers anything.
 */
export function parseSettings<S extends z.ZodObject>(component: string, schema: S, args: object): z.output<S> {
    let parser = lenient.get(schema);
    if (parser === undefined) {
        parser = schema.strip();
        lenient.set(schema, parser);
    }
    const parsed = parser.safeParse(args);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => {
            const path = issue.path.map(String).join(".");
            return path === "" ? issue.message : `${path} ${issue.message}`;
        });
        throw new Error(`${component}: ${problems.join("; ")}.`);
    }
    return parsed.data as z.output<S>;
}
