import { z } from "zod";

/** Seconds a probe waits for its answer when the stack names no timeout. */
export const DEFAULT_WEBSOCKET_PROBE_TIMEOUT_SECONDS = 10;

/**
 * A message round trip the post-deploy smoke check makes on a WebSocket route: open a WebSocket through nginx
 * (HTTPS, the stack's domain as Host and SNI, its certificate trusted), send `send` as one text message, and pass
 * once a message from the server contains `expect`. A route that upgrades but whose consumer is broken (its
 * channel layer cannot reach Redis, the app crashes on connect or on receive) then fails `pulumi up`.
 */
export const websocketProbeSchema = z.strictObject({
    /** Path to open; it must lie under the route's path (e.g. "/ws/jobs/" under "/ws/"). Default: the route's path. */
    path: z
        .string()
        .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@/%-]*$/, 'must be a request path such as "/ws/jobs/"')
        .optional(),
    /** The text message sent once the socket is open, e.g. '{"type": "probe"}'. */
    send: z.string().min(1, "must not be empty"),
    /**
     * Text the answer must contain; messages that do not contain it (a greeting on connect) are skipped. Choose text
     * only the answer to `send` contains.
     */
    expect: z.string().min(1, "must not be empty"),
    /** Seconds from opening the socket to the answer. Default: DEFAULT_WEBSOCKET_PROBE_TIMEOUT_SECONDS (10). */
    timeoutSeconds: z.number().int().min(1).max(120).default(DEFAULT_WEBSOCKET_PROBE_TIMEOUT_SECONDS),
});

export type WebsocketProbeSettings = z.input<typeof websocketProbeSchema>;
