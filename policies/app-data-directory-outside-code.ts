import { dataDirectoryOutsideCode } from "../rules/applicationEnvironment";
import { environmentGuard, persistentPaths } from "./lib/applicationEnvironment";

export const appDataDirectoryOutsideCode = environmentGuard(
    {
        name: "app-data-directory-outside-code",
        description:
            "DATA_DIR, when set, must be an absolute path outside the application's code tree and on a mounted volume. Data written inside the image or the container's own layer is lost when the image changes.",
        severity: "high",
        topics: ["application", "data"],
        checklist: ["OWASP-Docker-D09"],
    },
    (env, resource) => dataDirectoryOutsideCode(env, persistentPaths(resource)),
);
