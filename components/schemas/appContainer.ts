import { z } from "zod";

/** Default non-root user of application containers: a fixed high UID that exists in no base image's passwd. */
export const DEFAULT_APP_USER = "10001:10001";

/** How web, migration and worker containers of the application run; shared by the backend and worker groups. */
export const appContainerSettingsShape = {
    /** User the processes run as. Default: DEFAULT_APP_USER. */
    user: z.string().min(1).default(DEFAULT_APP_USER),
    /** Run with a read-only root filesystem (writable /tmp). Default: true. */
    readOnlyRootFilesystem: z.boolean().default(true),
};
