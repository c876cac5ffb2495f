import { environmentOf } from "../rules/containerProps";
import { nginxEdgeTextFindings } from "../rules/nginxEdge";
import { TYPES, resourceGuard } from "./lib/guard";
import { containerIdentity, containerRole } from "./lib/containers";

/** Where the Nginx component passes its configuration text; proxy-security-headers reads the same variable. */
const CONFIG_VARIABLE = "NGINX_CONFIG";

export const proxyTlsAndHosts = resourceGuard({
    name: "proxy-tls-and-hosts",
    description:
        "The nginx proxy must speak Mozilla's intermediate TLS profile on every HTTPS server (TLS 1.2 with forward-secret AEAD suites only, TLS 1.3, no session tickets) and answer Host names that are not the site's with a refusal (444, 421 or a rejected handshake) from its default servers, never with content or a redirect to that name. The site's server_name must be a public name, not localhost or a loopback address in any spelling: no other machine reaches such a site and no CA certifies it.",
    remediationSteps:
        "Use the Nginx component (its configuration sets the profile in the http block and adds refusing default servers), or set ssl_protocols, ssl_ciphers and ssl_session_tickets off and add a default server per port that returns 444 (HTTP) or 421 (HTTPS); set webplatform:domain (server_name) to the site's public host name.",
    severity: "medium",
    topics: ["http", "network"],
    checklist: ["OWASP-Top10-A02", "OWASP-Top10-A05"],
    resourceTypes: [TYPES.container],
    check: (resource) => {
        const identity = containerRole(resource) === "proxy" ? containerIdentity(resource) : undefined;
        if (identity?.role !== "proxy" || identity.engine !== "nginx") {
            return [];
        }
        // An unknown or missing configuration is proxy-security-headers' finding (requireInspectableConfig).
        const text = environmentOf(resource.props.envs)?.env[CONFIG_VARIABLE];
        return text === undefined ? [] : nginxEdgeTextFindings(`envs.${CONFIG_VARIABLE}`, text);
    },
});
