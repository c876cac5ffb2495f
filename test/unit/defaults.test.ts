import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_APP_USER } from "../../components/schemas/appContainer";
import { DEFAULT_NGINX_IMAGE, nginxSettingsSchema } from "../../components/schemas/nginx";
import { DEFAULT_POSTGRES_IMAGE, postgresSettingsSchema } from "../../components/schemas/postgres";
import { DEFAULT_REDIS_IMAGE } from "../../components/schemas/redis";
import { ONE_YEAR_SECONDS, TWO_YEARS_SECONDS } from "../../rules/securityHeaders";
import { StackConfigError, parseStackConfig } from "../../config/stackConfig";

/** Every default of a setting is given once, beside its component, and the config layer takes it from there. */
const ROOT = resolve(__dirname, "../..");

function sources(directory: string): string[] {
    return readdirSync(join(ROOT, directory)).flatMap((entry) => {
        const path = join(directory, entry);
        if (statSync(join(ROOT, path)).isDirectory()) {
            return entry === "test" || entry === "bin" ? [] : sources(path);
        }
        return path.endsWith(".ts") ? [path] : [];
    });
}

/** The stack program and library (rules/ names example values in its messages, such as a non-root user). */
const program = ["index.ts", ...["components", "config"].flatMap(sources)].map((file) => ({
    file: relative(ROOT, join(ROOT, file)),
    text: readFileSync(join(ROOT, file), "utf8"),
}));

describe("defaults", () => {
    it.each([
        ["DEFAULT_POSTGRES_IMAGE", DEFAULT_POSTGRES_IMAGE],
        ["DEFAULT_REDIS_IMAGE", DEFAULT_REDIS_IMAGE],
        ["DEFAULT_NGINX_IMAGE", DEFAULT_NGINX_IMAGE],
        ["DEFAULT_APP_USER", DEFAULT_APP_USER],
    ])("%s is written once, in a component schema", (_, value) => {
        const files = program.filter(({ text }) => text.includes(JSON.stringify(value))).map(({ file }) => file);
        expect(files).toHaveLength(1);
        expect(files[0]).toMatch(/^components\/schemas\//);
    });

    it("are not restated in the config layer as fallbacks", () => {
        const fallbacks = program
            .filter(({ file }) => file.startsWith("config/"))
            .flatMap(({ file, text }) => [...text.matchAll(/\?\?\s*["'`\d[]/g)].map(() => file));
        expect(fallbacks).toEqual([]);
    });

    it("reach the production checks from the schemas: an unpinned default image or a short HSTS is caught", () => {
        expect(postgresSettingsSchema.parse({}).image).toEqual({ reference: DEFAULT_POSTGRES_IMAGE });
        expect(nginxSettingsSchema.parse({}).hstsMaxAgeSeconds).toBe(TWO_YEARS_SECONDS);
        const raw = {
            environment: "production",
            domain: "app.example.com",
            backend: { image: "app:1.0.0", migrationCommand: ["m"] },
            nginx: {
                certificatePem: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----",
                hstsMaxAgeSeconds: 60,
            },
            tlsPrivateKey: "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----",
        };
        let message = "";
        try {
            parseStackConfig(raw, { stack: "prod", secretKeys: ["webplatform:tlsPrivateKey"] }, (value) => value);
        } catch (error) {
            message = (error as StackConfigError).message;
        }
        expect(message.split("\n").slice(1)).toEqual([
            `  - webplatform:nginx.hstsMaxAgeSeconds: is 60, shorter than a year. Fix: set it to at least ${ONE_YEAR_SECONDS} or leave it unset.`,
        ]);
    });
});
