/**
 * What an application-environment rule knows of the stack besides the environment itself. The program knows all of
 * it from stack config; the policy pack sees only the containers, so it passes what it can (nothing, or its own
 * config) and the rules check what they can without it.
 */
export interface Site {
    /** The public domain the stack serves (webplatform:domain); undefined when the caller cannot know it. */
    readonly domain?: string;
    /**
     * The stack explicitly allows session cookies with SameSite=None (webplatform:allowCrossSiteSessionCookies,
     * or the pack's app-cookie-samesite config), for a frontend on another site that must send them.
     */
    readonly allowCrossSiteSessionCookies?: boolean;
}
