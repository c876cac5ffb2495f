import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NginxSiteSettings, renderNginxConfig } from "../../components/nginxConfig";
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
    hstsMaxAgeSeconds: 31536000,
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
});
