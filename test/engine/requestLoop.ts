import { https } from "./http";

/** What a bounded request loop saw while it ran. */
export interface LoopFigures {
    readonly sent: number;
    /** Requests that got no answer or an answer other than 200. */
    readonly failed: number;
    /** The first few failures, as "status body" or the error, to say why. */
    readonly failures: readonly string[];
    /** Longest time between two successful answers, in ms: how long the site looked down. */
    readonly longestGapMs: number;
    /** The `version` field of the answers, each distinct value once, in the order first seen. */
    readonly versions: readonly string[];
}

export interface RequestLoop {
    /** Stops sending, waits for the requests in flight and returns the figures. */
    stop(): Promise<LoopFigures>;
}

/**
 * GETs `path` over HTTPS on 127.0.0.1:`port` at `perSecond` requests a second until stopped, or until `maxRequests`
 * were sent or `maxMs` passed, whichever comes first, so a test that never calls stop still ends its traffic.
 */
export function startRequestLoop(
    port: number,
    path: string,
    limits: { perSecond: number; maxRequests: number; maxMs: number },
): RequestLoop {
    const started = Date.now();
    const inFlight = new Set<Promise<void>>();
    const failures: string[] = [];
    const versions: string[] = [];
    let sent = 0;
    let failed = 0;
    let lastSuccess = started;
    let longestGapMs = 0;

    const send = () => {
        if (sent >= limits.maxRequests || Date.now() - started >= limits.maxMs) {
            clearInterval(timer);
            return;
        }
        sent++;
        // https() leaves a stalled socket open, so each request also ends at its own deadline.
        const deadline = new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error("no answer within 10 s")), 10_000).unref(),
        );
        const request = Promise.race([https(port, path, { timeoutMs: 10_000 }), deadline])
            .then((answer) => {
                if (answer.status !== 200) {
                    throw new Error(`${answer.status} ${answer.body.slice(0, 120)}`);
                }
                const now = Date.now();
                longestGapMs = Math.max(longestGapMs, now - lastSuccess);
                lastSuccess = now;
                const version = String(JSON.parse(answer.body).version);
                if (!versions.includes(version)) versions.push(version);
            })
            .catch((error: Error) => {
                failed++;
                if (failures.length < 5) failures.push(error.message);
            })
            .finally(() => inFlight.delete(request));
        inFlight.add(request);
    };
    const timer = setInterval(send, 1000 / limits.perSecond);

    return {
        async stop() {
            clearInterval(timer);
            await Promise.all(inFlight);
            longestGapMs = Math.max(longestGapMs, Date.now() - lastSuccess);
            return { sent, failed, failures, longestGapMs, versions };
        },
    };
}
