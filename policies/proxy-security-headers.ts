import { environmentOf, labelValue } from "../rules/containerProps";
import { LABELS } from "../rules/labels";
import { labelledNginxFacts } from "../rules/nginxHeaderFacts";
import { ONE_YEAR_SECONDS } from "../rules/securityHeaders";
import { nginxHeaderFactFindings, nginxSecurityHeaderFindings } from "../rules/nginxSecurityHeaders";
import { TYPES, guardConfig, resourceGuard } from "./lib/guard";
import { containerIdentity, containerRole } from "./lib/containers";

export interface ProxySecurityHeadersConfig {
    /** Smallest accepted HSTS max-age in seconds. */
    readonly minimumHstsMaxAgeSeconds: number;
    /** Environment variable that carries the nginx configuration text. */
    readonly configVariable: string;
    /** Report a proxy whose configuration is not in `configVariable`, since its headers cannot be verified. */
    readonly requireInspectableConfig: boolean;
}

const config = guardConfig<ProxySecurityHeadersConfig>({
    minimumHstsMaxAgeSeconds: {
        type: "integer",
        minimum: 0,
        default: ONE_YEAR_SECONDS,
        description: "Smallest accepted Strict-Transport-Security max-age, in seconds (a year by default).",
    },
    configVariable: {
        type: "string",
        pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
        default: "NGINX_CONFIG",
        description: "Environment variable holding the nginx configuration text.",
    },
    requireInspectableConfig: {
        type: "boolean",
        default: true,
        description: "Whether a proxy whose configuration cannot be read is a violation.",
    },
});

export const proxySecurityHeaders = resourceGuard<ProxySecurityHeadersConfig>({
    name: "proxy-security-headers",
    description:
        "The nginx proxy's configuration must send Strict-Transport-Security with a max-age of at least a year and includeSubDomains, X-Content-Type-Options nosniff, X-Frame-Options, a Referrer-Policy, a Content-Security-Policy with default-src and no script source open to any site, and Cross-Origin-Opener-Policy same-origin on every HTTPS location; user uploads under /media/ must also be sent as attachments with a sandbox policy, and plain HTTP may only redirect or refuse. A location with its own add_header drops the server's headers, which is checked too.",
    remediationSteps:
        "Use the Nginx component (renderNginxConfig adds every header at server level and repeats them in each location), or add the headers with `add_header ... always;` wherever a location sets headers of its own.",
    severity: "medium",
    topics: ["http"],
    checklist: [
        "Django-security.W002",
        "Django-security.W004",
        "Django-security.W005",
        "Django-security.W006",
        "Django-security.W008",
        "Django-security.W022",
    ],
    resourceTypes: [TYPES.container],
    config,
    check: (resource, settings) => {
        // The role alone is cheap; the engine is worked out only for proxies.
        const identity = containerRole(resource) === "proxy" ? containerIdentity(resource) : undefined;
        if (identity?.role !== "proxy") {
            return [];
        }
        const key = `envs.${settings.configVariable}`;
        const policy = { minimumHstsMaxAgeSeconds: settings.minimumHstsMaxAgeSeconds };
        const environment = environmentOf(resource.props.envs);
        // The Nginx component labels its container with the facts of the configuration it renders.
        const label = labelValue(resource.props.labels, LABELS.nginxHeaderFacts);
        const facts = labelledNginxFacts(label, environment, settings.configVariable);
        if (facts !== undefined) {
            return nginxHeaderFactFindings(key, facts, policy);
        }
        if (environment === undefined) {
            return [];
        }
        const text = environment.env[settings.configVariable];
        if (text === undefined) {
            if (!environment.complete || !settings.requireInspectableConfig || identity.engine !== "nginx") {
                return [];
            }
            return [
                {
                    key,
                    problem: "is not set, so the proxy's security headers cannot be verified.",
                    fix: `pass the nginx configuration text in ${settings.configVariable} (as the Nginx component does), or set requireInspectableConfig to false for this policy and check the headers another way.`,
                },
            ];
        }
        return nginxSecurityHeaderFindings(key, text, policy);
    },
});
