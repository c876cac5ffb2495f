/** Where the application keeps its data: outside the code tree and on a volume. */
import { Finding } from "../finding";
import { Environment } from "./words";

/** Directories that usually hold the application's code inside its image. */
export const APPLICATION_TREES = ["/app", "/code", "/src", "/usr/src/app", "/srv/app", "/opt/app", "/home/app"];

function isWithin(path: string, directory: string): boolean {
    return path === directory || path.startsWith(`${directory.replace(/\/$/, "")}/`);
}

export function dataDirectoryOutsideCode(env: Environment, volumePaths: readonly string[]): Finding[] {
    const value = env.DATA_DIR;
    if (value === undefined) {
        return [];
    }
    if (!value.startsWith("/")) {
        return [
            {
                key: "DATA_DIR",
                problem: `"${value}" is a relative path.`,
                fix: "use an absolute path such as /var/lib/app.",
            },
        ];
    }
    const tree = APPLICATION_TREES.find((directory) => isWithin(value, directory));
    if (tree) {
        return [
            {
                key: "DATA_DIR",
                problem: `"${value}" is inside the application tree ${tree}, so data is lost when the image changes.`,
                fix: "use a directory outside the code, such as /var/lib/app.",
            },
        ];
    }
    if (!volumePaths.some((mount) => isWithin(value, mount))) {
        return [
            {
                key: "DATA_DIR",
                problem: `"${value}" is not on a volume, so its data disappears with the container.`,
                fix: "set backend.dataDirectory so the platform mounts a retained volume there.",
            },
        ];
    }
    return [];
}
