import { environmentRuleGuard } from "./lib/applicationEnvironment";
import { guardConfig } from "./lib/guard";

export const appCookieSameSite = environmentRuleGuard(
    {
        name: "app-cookie-samesite",
        description:
            "A cookie with SameSite=None must also be Secure, and a session cookie may not be SameSite=None unless the stack allows it by name (allowCrossSiteSessionCookies). Browsers send a SameSite=None cookie on every other site's requests, so a session cookie would let them act as the logged-in user.",
        severity: "high",
        topics: ["application", "http"],
        checklist: ["OWASP-Top10-A01"],
        config: guardConfig<{ allowCrossSiteSessionCookies: boolean }>({
            allowCrossSiteSessionCookies: {
                type: "boolean",
                default: false,
                description:
                    "Allow session cookies with SameSite=None (a frontend on another site); the stack sets webplatform:allowCrossSiteSessionCookies too.",
            },
        }),
    },
    (config) => ({ allowCrossSiteSessionCookies: config.allowCrossSiteSessionCookies }),
);
