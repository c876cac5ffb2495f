import { RegisteredMetadata } from "./guard";
import { CHECKLISTS, CHECKLIST_ITEMS, ChecklistId, checklistItem } from "./metadata";

/**
 * The README's tables of guards and of the checklist items they implement, generated from the registry's metadata;
 * policies/test/readme.test.ts holds README.md to them (and rewrites them with UPDATE_GUARD_TABLE=1).
 */
export const GUARD_TABLE_START =
    "<!-- guard table: generated from policies/registry.ts; UPDATE_GUARD_TABLE=1 npx vitest run --project unit policies/test/readme.test.ts -->";
export const GUARD_TABLE_END = "<!-- end of guard table -->";

function row(cells: readonly string[]): string {
    return `| ${cells.join(" | ")} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
    return [row(header), row(header.map(() => "---")), ...rows.map(row)];
}

/** Both tables as markdown, one guard per row in registry order, then one row per checklist item. */
export function guardTable(guards: ReadonlyMap<string, RegisteredMetadata>): string {
    const entries = [...guards];
    const guardRows = entries.map(([name, metadata]) => [
        `\`${name}\``,
        metadata.severity,
        metadata.scope === "stack" ? "the stack" : metadata.scope.join(", "),
        metadata.topics.join(", "),
        metadata.checklist.length === 0 ? `— (${metadata.uncatalogued ?? ""})` : metadata.checklist.join(", "),
    ]);
    const itemRows = (Object.keys(CHECKLIST_ITEMS) as ChecklistId[]).map((id) => {
        const checklist = CHECKLISTS[checklistItem(id).checklist];
        const implementers = entries.filter(([, metadata]) => metadata.checklist.includes(id)).map(([name]) => name);
        return [
            id,
            checklist.version === "" ? checklist.name : `${checklist.name} ${checklist.version}`,
            CHECKLIST_ITEMS[id],
            implementers.map((guard) => `\`${guard}\``).join(", "),
        ];
    });
    return [
        ...table(["guard", "severity", "checks", "topics", "implements"], guardRows),
        "",
        ...table(["item", "checklist", "title", "guards"], itemRows),
    ].join("\n");
}
