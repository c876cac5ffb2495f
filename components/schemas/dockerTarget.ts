import { z } from "zod";
import { deployTargetSettingsShape } from "./swarm";

/** Which Docker engine a platform deploys to. */
export const dockerTargetSettingsShape = {
    /** Docker engine: unset for the local socket, or e.g. "ssh://deploy@host". Default: local engine. */
    dockerHost: z
        .string()
        .regex(/^(unix|ssh|tcp):\/\/\S+$/, "must start with unix://, ssh:// or tcp://")
        .optional(),
    /** Extra ssh options for an ssh:// engine, e.g. ["-i", "/path/key"]. Default: none. */
    dockerSshOptions: z.array(z.string()).optional(),
    ...deployTargetSettingsShape,
};
