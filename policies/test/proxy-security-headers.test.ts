import { beforeAll, describe, expect, it } from "vitest";
import { REQUIRED_SECURITY_HEADERS } from "../../rules/securityHeaders";
import { TYPES } from "../lib/guard";
import { PRODUCTION_PLATFORM, PlatformFixture, platformFixture } from "./fixtures";
import { UNKNOWN, runResourcePolicy, withChange } from "./harness";
import { envValue, resourcePolicy, setEnv } from "./helpers";

const policy = resourcePolicy("proxy-security-headers");
const P = 'Container "thebot-nginx-server" breaks proxy-security-headers: envs.NGINX_CONFIG:';
const SERVER = "server listening on 8443 ssl http2";
/** The default server, which answers unknown Host names with 421 and the same headers. */
const DEFAULT = "server listening on 8443 ssl http2 default_server";
const HEADER_FIX =
    "Fix: add the header with `add_header ... always;` at server level and repeat every security header in any location that has add_header of its own (renderNginxConfig does this).";

describe("proxy-security-headers", () => {
    let fixture: PlatformFixture;
    let nginx: Record<string, unknown>;
    let config: string;
    beforeAll(async () => {
        fixture = await platformFixture();
        nginx = fixture.named("thebot-nginx-server").props;
        config = envValue(fixture.named("thebot-nginx-server"), "NGINX_CONFIG")!;
    });

    const run = (props: Record<string, unknown>, settings = {}) =>
        runResourcePolicy(policy, { type: TYPES.container, name: "thebot-nginx-server", props }, settings).violations;
    const edited = (edit: (text: string) => string) =>
        withChange(nginx, (props) => setEnv(props, "NGINX_CONFIG", edit(config)));

    it("accepts the configuration the Nginx component renders", () => {
        expect(run(nginx)).toEqual([]);
    });

    it("reports the component itself when it is given a short HSTS max-age", async () => {
        const short = await platformFixture({
            ...PRODUCTION_PLATFORM,
            nginx: { ...PRODUCTION_PLATFORM.nginx, hstsMaxAgeSeconds: 3600 },
        });
        const violations = run(short.named("thebot-nginx-server").props);
        expect(violations).toEqual([
            `${P} Strict-Transport-Security max-age is 3600, below 31536000 seconds in ${DEFAULT}; ${SERVER}; ${SERVER} > location /api/ and 5 more. ${HEADER_FIX}`,
        ]);
    });

    it.each([
        [
            "HSTS without includeSubDomains",
            (text: string) => text.replaceAll("max-age=63072000; includeSubDomains", "max-age=63072000"),
            "Strict-Transport-Security lacks includeSubDomains",
        ],
        [
            "no nosniff",
            (text: string) => text.replaceAll("add_header X-Content-Type-Options nosniff always;", ""),
            "X-Content-Type-Options is not nosniff",
        ],
        [
            "X-Frame-Options ALLOWALL",
            (text: string) => text.replaceAll("X-Frame-Options DENY", "X-Frame-Options ALLOWALL"),
            "X-Frame-Options is not DENY or SAMEORIGIN",
        ],
        [
            "Referrer-Policy unsafe-url",
            (text: string) => text.replaceAll("strict-origin-when-cross-origin", "unsafe-url"),
            'Referrer-Policy "unsafe-url" sends full URLs to other sites',
        ],
    ])("reports %s everywhere it applies", (_case, edit, problem) => {
        expect(run(edited(edit))).toEqual([
            `${P} ${problem} in ${DEFAULT}; ${SERVER}; ${SERVER} > location /api/ and 5 more. ${HEADER_FIX}`,
        ]);
    });

    it("reports a location whose own add_header drops the server's headers", () => {
        const text = config.replace(/(location \/api\/ \{[\s\S]*?)add_header X-Frame-Options DENY always;/, "$1");
        expect(run(withChange(nginx, (props) => setEnv(props, "NGINX_CONFIG", text)))).toEqual([
            `${P} X-Frame-Options is not DENY or SAMEORIGIN in ${SERVER} > location /api/. ${HEADER_FIX}`,
        ]);
    });

    it("reports a location that inherits nothing when the headers exist only in other locations", () => {
        const serverLevel = /(server_name [^\n]*\n)((\s*add_header [^\n]*\n)+)/;
        const text = config.replace(serverLevel, "$1");
        const violations = run(withChange(nginx, (props) => setEnv(props, "NGINX_CONFIG", text)));
        expect(violations[0]).toBe(`${P} Strict-Transport-Security is missing in ${SERVER}. ${HEADER_FIX}`);
        expect(violations).toHaveLength(REQUIRED_SECURITY_HEADERS.length);
    });

    it("reports a plain-HTTP server that serves instead of redirecting", () => {
        const text = config.replace(
            "return 301 https://$host$request_uri;",
            "location / { proxy_pass http://backend:8000; }",
        );
        expect(run(withChange(nginx, (props) => setEnv(props, "NGINX_CONFIG", text)))).toEqual([
            `${P} has a plain-HTTP server listening on 8080 that serves content instead of redirecting to HTTPS. Fix: make the plain-HTTP server only \`return 301 https://$host$request_uri;\`.`,
        ]);
    });

    it("reports a configuration without any TLS server", () => {
        const text = config.replaceAll(" ssl http2", "");
        expect(run(withChange(nginx, (props) => setEnv(props, "NGINX_CONFIG", text)))).toEqual([
            `${P} has no server that listens with ssl, so nothing is served over HTTPS and HSTS cannot apply. Fix: terminate TLS in nginx (listen ... ssl with a certificate) and redirect plain HTTP to HTTPS.`,
            `${P} has a plain-HTTP server listening on 8443 that serves content instead of redirecting to HTTPS. Fix: make the plain-HTTP server only \`return 301 https://$host$request_uri;\`.`,
        ]);
    });

    it("reports a configuration nginx cannot parse", () => {
        expect(run(edited((text) => `${text}}\n`))).toEqual([
            `${P} is not a configuration nginx can read: an unexpected } closes a block that was never opened. Fix: render the configuration with renderNginxConfig (components/nginxConfig.ts) or correct its syntax.`,
        ]);
    });

    it("reports an nginx proxy whose configuration cannot be inspected, unless told not to", () => {
        const hidden = withChange(nginx, (props) => setEnv(props, "NGINX_CONFIG", undefined));
        expect(run(hidden)).toEqual([
            `${P} is not set, so the proxy's security headers cannot be verified. Fix: pass the nginx configuration text in NGINX_CONFIG (as the Nginx component does), or set requireInspectableConfig to false for this policy and check the headers another way.`,
        ]);
        expect(run(hidden, { requireInspectableConfig: false })).toEqual([]);
    });

    it("reads the configuration from another variable and with a lower minimum when configured", () => {
        const moved = withChange(nginx, (props) => {
            setEnv(props, "NGINX_CONFIG", undefined);
            setEnv(props, "SITE_CONF", config.replaceAll("max-age=63072000", "max-age=86400"));
        });
        expect(run(moved, { configVariable: "SITE_CONF", minimumHstsMaxAgeSeconds: 86400 })).toEqual([]);
    });

    it("skips while the environment is unknown (it holds the TLS key, a secret)", () => {
        expect(run({ ...nginx, envs: UNKNOWN })).toEqual([]);
        expect(run({ ...nginx, envs: ["TLS_CERTIFICATE=x", UNKNOWN] })).toEqual([]);
    });
});
