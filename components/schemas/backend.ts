import { z } from "zod";
import { appContainerSettingsShape } from "./appContainer";
import { command, port, requestPath, wholeNumber } from "./fields";
import { imageSource } from "./image";
import { resourceLimits } from "./limits";

/** What a stack decides about its web tier and migration step; each default is given here and nowhere else. */
export const backendSettingsSchema = z.strictObject({
    /** The application image, by reference (pin it by digest) or built from a Dockerfile context. */
    image: imageSource,
    /** Command of the web process, e.g. gunicorn with uvicorn workers. Default: the image's CMD. */
    command: command.optional(),
    /** Port the web process listens on inside the container. Default: 8000. */
    port: port.default(8000),
    /** Health endpoint that answers 200 only when the app and its dependencies are up. Default: "/health". */
    healthPath: requestPath.default("/health"),
    /** Healthcheck command. Default: an HTTP probe of `healthPath` with python3. */
    healthcheckCommand: command.optional(),
    /** Number of web containers. Default: 1. */
    replicas: wholeNumber(1, 100).default(1),
    /**
     * Migration command run to success in a one-shot container after the database is healthy and before any
     * web container starts, and again whenever the image or this command changes,
     * e.g. ["python", "manage.py", "migrate", "--noinput"] or ["alembic", "upgrade", "head"].
     */
    migrationCommand: command,
    /**
     * The application's own "no pending migrations" probe, which exits non-zero while a migration is pending. The
     * post-deploy smoke check runs it in a web container, e.g. ["python", "manage.py", "migrate", "--check"] or
     * ["alembic", "check"]. Default: none (not checked).
     */
    pendingMigrationsCheck: command.optional(),
    ...appContainerSettingsShape,
    /** Memory and CPU ceilings of each web container (and of the migration). Default: 1024 MiB, 1 CPU. */
    limits: resourceLimits({ memoryMb: 1024, cpus: "1" }),
});

export type BackendSettings = z.input<typeof backendSettingsSchema>;
