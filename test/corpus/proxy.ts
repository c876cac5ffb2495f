import { nginxConfigTree } from "../../components/nginxConfig";
import { TLS_KEY_FILE } from "../../components/tlsKeyFile";
import { serializeNginxConfig } from "../../rules/nginxTree";
import { DEFAULT_CONTENT_SECURITY_POLICY, TWO_YEARS_SECONDS } from "../../rules/securityHeaders";

/**
 * The configuration text the Nginx component renders for the production stack's routes, served under `domain`: what
 * a proxy resource form carries in NGINX_CONFIG, so the pack reads the same text the component would deploy.
 */
export function proxyConfigText(domain: string): string {
    return serializeNginxConfig(
        nginxConfigTree({
            serverNames: [domain],
            httpPort: 8080,
            httpsPort: 8443,
            publicHttpsPort: 443,
            certificatePath: "/tmp/tls/certificate.pem",
            keyPath: TLS_KEY_FILE,
            routes: [
                { path: "/api/", upstream: "plain-web:8000" },
                { path: "/", upstream: "plain-web:8000" },
            ],
            headers: {
                hstsMaxAgeSeconds: TWO_YEARS_SECONDS,
                hstsPreload: false,
                contentSecurityPolicy: DEFAULT_CONTENT_SECURITY_POLICY,
            },
            clientMaxBodySizeMb: 20,
            rateLimitPerSecond: 20,
            rateLimitBurst: 40,
        }),
    );
}
