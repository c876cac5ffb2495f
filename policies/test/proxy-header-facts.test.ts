import { DEFAULT_CONTENT_SECURITY_POLICY, TWO_YEARS_SECONDS } from "../../rules/securityHeaders";
import { beforeAll, describe, expect, it } from "vitest";
import { NginxSiteSettings, nginxConfigTree } from "../../components/nginxConfig";
import { TLS_KEY_FILE } from "../../components/tlsKeyFile";
import { LABELS } from "../../rules/labels";
import { configDigest, nginxFactsLabel, nginxHeaderFacts, readNginxFactsLabel } from "../../rules/nginxHeaderFacts";
import { NginxDirective, parseNginxConfig, serializeNginxConfig } from "../../rules/nginxTree";
import { TYPES } from "../lib/guard";
import { PRODUCTION_PLATFORM, PlatformFixture, asPreview, platformFixture } from "./fixtures";
import { UNKNOWN, runResourcePolicy, withChange } from "./harness";
import { envValue, resourcePolicy, setEnv } from "./helpers";

/** proxy-security-headers on the facts the Nginx component labels its container with. */
const policy = resourcePolicy("proxy-security-headers");
const P = 'Container "thebot-nginx-server" breaks proxy-security-headers: envs.NGINX_CONFIG:';
const SERVER = "server listening on 8443 ssl http2";
const DEFAULT = "server listening on 8443 ssl http2 default_server";
const HEADER_FIX =
    "Fix: add the header with `add_header ... always;` at server level and repeat every security header in any location that has add_header of its own (renderNginxConfig does this).";

/** The settings the Nginx component gives nginxConfigTree for PRODUCTION_PLATFORM. */
const SETTINGS: NginxSiteSettings = {
    serverNames: ["thebot.example.com"],
    httpPort: 8080,
    httpsPort: 8443,
    publicHttpsPort: 443,
    certificatePath: "/tmp/tls/certificate.pem",
    keyPath: TLS_KEY_FILE,
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

/** The library's tree with one header taken out of one location: the bug a renderer change could bring. */
function dropHeader(tree: readonly NginxDirective[], location: string, header: string): NginxDirective[] {
    return tree.map((directive) => {
        if (directive.block === undefined) {
            return directive;
        }
        const block =
            directive.name === "location" && directive.args.join(" ") === location
                ? directive.block.filter((inner) => !(inner.name === "add_header" && inner.args[0] === header))
                : dropHeader(directive.block, location, header);
        return { ...directive, block };
    });
}

function setLabel(props: Record<string, unknown>, label: string, value: string): void {
    const labels = (props.labels as { label: string; value: string }[]).filter((entry) => entry.label !== label);
    props.labels = [...labels, { label, value }];
}

describe("proxy-security-headers on the Nginx component's facts label", () => {
    let fixture: PlatformFixture;
    let nginx: Record<string, unknown>;
    let config: string;
    beforeAll(async () => {
        fixture = await platformFixture();
        nginx = fixture.named("thebot-nginx-server").props;
        config = envValue(fixture.named("thebot-nginx-server"), "NGINX_CONFIG")!;
    });

    const run = (props: Record<string, unknown>) =>
        runResourcePolicy(policy, { type: TYPES.container, name: "thebot-nginx-server", props }).violations;
    const labelled = (label: string, envs?: unknown) =>
        withChange(nginx, (props) => {
            setLabel(props, LABELS.nginxHeaderFacts, label);
            if (envs !== undefined) {
                props.envs = envs;
            }
        });
    const broken = () => dropHeader(nginxConfigTree(SETTINGS), "/api/", "X-Frame-Options");
    const DROPPED = `${P} X-Frame-Options is not DENY or SAMEORIGIN in ${SERVER} > location /api/. ${HEADER_FIX}`;

    it("labels the facts of the configuration it passes, computed from its tree, and no secret", () => {
        const label = (nginx.labels as { label: string; value: string }[]).find(
            (entry) => entry.label === LABELS.nginxHeaderFacts,
        )!;
        expect(label.value).toBe(nginxFactsLabel(nginxConfigTree(SETTINGS)));
        expect(serializeNginxConfig(nginxConfigTree(SETTINGS))).toBe(config);
        const { sha256, ...facts } = readNginxFactsLabel(label.value)!;
        expect(sha256).toBe(configDigest(config));
        expect(facts).toEqual(nginxHeaderFacts(parseNginxConfig(config)));
        expect(label.value.length).toBeLessThan(2048);
        const key = PRODUCTION_PLATFORM.nginx!.privateKeyPem as string;
        for (const container of fixture.ofType(TYPES.container)) {
            const values = JSON.stringify(container.props.labels);
            expect(values).not.toContain("PRIVATE KEY");
            expect(values).not.toContain(JSON.stringify(key).slice(1, -1));
        }
    });

    it("refuses a broken library config from its facts alone, while the environment is unknown", () => {
        expect(run(labelled(nginxFactsLabel(broken()), UNKNOWN))).toEqual([DROPPED]);
        expect(run(labelled(nginxFactsLabel(broken()), ["TLS_CERTIFICATE=x", UNKNOWN]))).toEqual([DROPPED]);
    });

    it("refuses it with the text the facts describe, and without reading that text", () => {
        const withText = (text: string) => withChange(nginx, (props) => setEnv(props, "NGINX_CONFIG", text));
        expect(run(labelled(nginxFactsLabel(broken()), withText(serializeNginxConfig(broken())).envs))).toEqual([
            DROPPED,
        ]);
        // Text nginx could not even read, but the one the labelled facts were computed from: the facts decide.
        const facts = JSON.stringify({ ...readNginxFactsLabel(nginxFactsLabel(broken()))!, sha256: configDigest("}") });
        expect(run(labelled(facts, withText("}").envs))).toEqual([DROPPED]);
    });

    it("checks the text itself when it is not the one the facts describe", () => {
        // The facts say one header is missing, but nginx gets the complete configuration.
        expect(run(labelled(nginxFactsLabel(broken())))).toEqual([]);
        const edited = config.replace(/(location \/api\/ \{[\s\S]*?)add_header X-Frame-Options DENY always;/, "$1");
        expect(run(withChange(nginx, (props) => setEnv(props, "NGINX_CONFIG", edited)))).toEqual([DROPPED]);
    });

    it("checks the text of a proxy whose label is not facts, and skips it while the text is unknown", () => {
        const text = serializeNginxConfig(broken());
        for (const label of [
            "{not json",
            '{"sha256":"x","servers":[{"https":true,"headers":[["",3]]}],"headerSets":[]}',
        ]) {
            expect(run(labelled(label))).toEqual([]);
            expect(run(withChange(labelled(label), (props) => setEnv(props, "NGINX_CONFIG", text)))).toEqual([DROPPED]);
            expect(run(labelled(label, UNKNOWN))).toEqual([]);
        }
    });

    it("checks the facts in a preview, where the environment holding the TLS key is unknown", async () => {
        expect(run(asPreview(fixture, UNKNOWN).named("thebot-nginx-server").props)).toEqual([]);
        const short = await platformFixture({
            ...PRODUCTION_PLATFORM,
            nginx: { ...PRODUCTION_PLATFORM.nginx, hstsMaxAgeSeconds: 3600 },
        });
        const preview = asPreview(short, UNKNOWN).named("thebot-nginx-server").props;
        expect(preview.envs).toBe(UNKNOWN);
        expect(run(preview)).toEqual([
            `${P} Strict-Transport-Security max-age is 3600, below 31536000 seconds in ${DEFAULT}; ${SERVER}; ${SERVER} > location /api/ and 5 more. ${HEADER_FIX}`,
        ]);
    });
});
