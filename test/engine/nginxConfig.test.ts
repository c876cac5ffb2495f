import { DEFAULT_CONTENT_SECURITY_POLICY, TWO_YEARS_SECONDS } from "../../rules/securityHeaders";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NginxSiteSettings, renderNginxConfig } from "../../components/nginxConfig";
import { blockDirective, directive, serializeNginxConfig } from "../../rules/nginxTree";
import { testCertificate } from "./certificate";

/** Runs `nginx -t` on a generated config inside the real nginx image, with a throwaway certificate. */
function nginxTest(settings: NginxSiteSettings): string {
    const { dir } = testCertificate("localhost");
    writeFileSync(
        join(dir, "nginx.conf"),
        renderNginxConfig({ ...settings, certificatePath: "/conf/cert.pem", keyPath: "/conf/key.pem" }),
    );
    return execFileSync(
        "docker",
        [
            "run",
            "--rm",
            "--network",
            "none",
            "-v",
            `${dir}:/conf:ro`,
            "webplatform/nginx:1.22",
            "nginx",
            "-t",
            "-c",
            "/conf/nginx.conf",
        ],
        { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    ).toString();
}

const base: NginxSiteSettings = {
    serverNames: ["thebot.example.com"],
    httpPort: 8080,
    httpsPort: 8443,
    publicHttpsPort: 443,
    certificatePath: "",
    keyPath: "",
    routes: [
        { path: "/api/", upstream: "thebot-backend:8000" },
        { path: "/admin/", upstream: "thebot-backend:8000" },
        { path: "/ws/", upstream: "thebot-daphne:8001", websocket: true },
    ],
    rootDirectory: "/usr/share/nginx/html",
    staticDirectory: "/srv/static",
    mediaDirectory: "/srv/media",
    headers: {
        hstsMaxAgeSeconds: TWO_YEARS_SECONDS,
        hstsPreload: false,
        contentSecurityPolicy: DEFAULT_CONTENT_SECURITY_POLICY,
    },
    clientMaxBodySizeMb: 50,
    rateLimitPerSecond: 20,
    rateLimitBurst: 40,
};

describe("generated nginx config, checked by real nginx", () => {
    it.each([
        ["the Django system (SPA root, static, media, WebSocket)", base],
        [
            "an API with / proxied to the backend",
            {
                ...base,
                rootDirectory: undefined,
                staticDirectory: undefined,
                mediaDirectory: undefined,
                routes: [{ path: "/", upstream: "api:8000" }],
            },
        ],
        ["a non-default public port", { ...base, publicHttpsPort: 8443 }],
    ])("%s passes nginx -t", (_, settings) => {
        // nginx -t reports on stderr; execFileSync throws with it when the test fails.
        expect(() => nginxTest(settings)).not.toThrow();
    });

    it("the check can fail: a broken directive is refused by nginx -t", () => {
        expect(() => nginxTest({ ...base, clientMaxBodySizeMb: "fifty" as unknown as number })).toThrow(
            /client_max_body_size/,
        );
    });

    it("is the same text for the same settings", () => {
        expect(renderNginxConfig(base)).toBe(renderNginxConfig({ ...base, routes: [...base.routes] }));
    });

    it("reads every word the serializer quotes back as it was: nginx answers each one as a body", () => {
        // Not `$`: nginx would expand it in the body, after reading the word.
        const words = [
            'say "hi"',
            "it's",
            "{ok}",
            "}",
            "a;b",
            " two  words ",
            "",
            "back\\slash",
            "\\n is not a newline",
            "ends with \\",
            "line\nbreak\ttab\r",
            "#not-a-comment",
            "'",
            '"',
            "(x)",
            "ünïcödé",
        ];
        const dir = mkdtempSync(join(tmpdir(), "wp-nginx-words-"));
        const locations = words.map((word, index) =>
            blockDirective("location", ["=", `/${index}`], [directive("return", 200, word)]),
        );
        const http = [
            directive("access_log", "off"),
            blockDirective("server", [], [directive("listen", "127.0.0.1:8080"), ...locations]),
        ];
        const tree = [
            directive("pid", "/tmp/nginx.pid"),
            directive("error_log", "/dev/stderr", "warn"),
            blockDirective("events", [], []),
            blockDirective("http", [], http),
        ];
        writeFileSync(join(dir, "nginx.conf"), serializeNginxConfig(tree));
        const requests = words.map((_, index) => `curl -s http://127.0.0.1:8080/${index}; printf '\\0'`).join("; ");
        const output = execFileSync(
            "docker",
            [
                "run",
                "--rm",
                "--network",
                "none",
                "-v",
                `${dir}:/conf:ro`,
                "webplatform/nginx:1.22",
                "sh",
                "-c",
                `nginx -c /conf/nginx.conf && ${requests}`,
            ],
            { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
        );
        expect(output.split("\0").slice(0, -1)).toEqual(words);
    });
});
