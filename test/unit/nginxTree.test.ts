import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NginxSiteSettings, nginxConfigTree, renderNginxConfig } from "../../components/nginxConfig";
import { nginxHeaderFacts } from "../../rules/nginxHeaderFacts";
import { securityHeaders } from "../../rules/securityHeaders";
import {
    NginxDirective,
    blockDirective,
    directive,
    parseNginxConfig,
    quoteNginxWord,
    serializeNginxConfig,
} from "../../rules/nginxTree";
import {
    DEFAULT_CONTENT_SECURITY_POLICY,
    TWO_YEARS_SECONDS,
    UPLOAD_CONTENT_SECURITY_POLICY,
} from "../../rules/securityHeaders";

const roundTrip = (tree: readonly NginxDirective[]) => parseNginxConfig(serializeNginxConfig(tree));

/** Arguments nginx's lexer treats specially, alone and inside other text. */
const TRICKY = [
    'say "hi"',
    "it's",
    "{",
    "}",
    "{ok}",
    "a;b",
    ";",
    "$host",
    "${host}x",
    "$upstream;rm",
    "two words",
    " leading and trailing ",
    "",
    "back\\slash",
    "\\n is not a newline",
    "ends with \\",
    "line\nbreak",
    "tab\there\r",
    "#not-a-comment",
    "a#b",
    "'",
    '"',
    "(x)",
    "ünïcödé\u00a0nbsp",
];

describe("serializeNginxConfig and parseNginxConfig", () => {
    it.each(TRICKY)("round-trip the argument %j", (arg) => {
        const tree = [blockDirective("location", ["/"], [directive("return", 200, arg), directive(arg, arg)])];
        expect(roundTrip(tree)).toEqual(tree);
    });

    it("round-trip any tree of any words", () => {
        const word = fc.oneof(
            fc.string({ unit: fc.constantFrom("a", "$", "{", "}", ";", '"', "'", "\\", "#", " ", "\n", "\t", "n") }),
            fc.string({ unit: "binary-ascii" }),
            // Not unit "binary": building that arbitrary takes seconds.
            fc.string({ unit: "grapheme" }),
        );
        const args = fc.array(word, { maxLength: 4 });
        const { node } = fc.letrec<{ node: NginxDirective }>((tie) => ({
            node: fc.oneof(
                { maxDepth: 3 },
                fc.record({ name: word, args }),
                fc.record({ name: word, args, block: fc.array(tie("node"), { maxLength: 3 }) }),
            ),
        }));
        const tree = fc.array(node, { maxLength: 4 });
        fc.assert(
            fc.property(tree, (directives) => JSON.stringify(roundTrip(directives)) === JSON.stringify(directives)),
            { numRuns: 300 },
        );
    });

    it("quote only the words nginx would misread, with the escapes nginx unescapes", () => {
        expect(quoteNginxWord("https://$host:8443$request_uri")).toBe("https://$host:8443$request_uri");
        expect(quoteNginxWord("frame-ancestors 'none'")).toBe(`"frame-ancestors 'none'"`);
        expect(quoteNginxWord('a "b" \\ c;')).toBe('"a \\"b\\" \\\\ c;"');
        expect(quoteNginxWord("ok\n")).toBe('"ok\\n"');
        expect(quoteNginxWord("${host}")).toBe('"${host}"');
        expect(quoteNginxWord("")).toBe('""');
        expect(serializeNginxConfig([blockDirective("events", [], [directive("worker_connections", 1024)])])).toBe(
            "events {\n    worker_connections 1024;\n}\n",
        );
    });

    it("read text as nginx's lexer does", () => {
        const text = [
            "# a comment { ; }",
            "set $a ${b}c;",
            "return 200 a}b;",
            `add_header X a"b always; # trailing`,
            `return 200 "a\\qb\\"c" 'd\\'e';`,
            'if ($x = "y") { return 403; }',
            "a#b;",
        ].join("\n");
        expect(parseNginxConfig(text)).toEqual([
            { name: "set", args: ["$a", "${b}c"] },
            { name: "return", args: ["200", "a}b"] },
            { name: "add_header", args: ["X", 'a"b', "always"] },
            { name: "return", args: ["200", 'a\\qb"c', "d'e"] },
            { name: "if", args: ["($x", "=", "y", ")"], block: [{ name: "return", args: ["403"] }] },
            { name: "a#b", args: [] },
        ]);
        expect(parseNginxConfig("listen\t80\r\nssl;\r\n")).toEqual([{ name: "listen", args: ["80", "ssl"] }]);
    });

    it.each([
        ["a stray semicolon", "listen 80;;", "an unexpected ; follows no directive"],
        ["a block without a name", "{ listen 80; }", "an unexpected { follows no directive"],
        ["an unclosed quote", 'return 200 "ok;', 'a " quoted word is never closed'],
        ["text right after a quote", 'return 200 "ok"x;', '"x" follows a quoted word without a space'],
        ["a directive closed by }", "server { return 301 https://x }", 'the directive "return" does not end with ;'],
        ["an extra }", "events { }\n}", "an unexpected } closes a block that was never opened"],
    ])("refuse %s", (_case, text, message) => {
        expect(() => parseNginxConfig(text)).toThrow(message);
    });
});

const SETTINGS: NginxSiteSettings = {
    serverNames: ["thebot.example.com", "www.thebot.example.com"],
    httpPort: 8080,
    httpsPort: 8443,
    publicHttpsPort: 443,
    certificatePath: "/tmp/tls/certificate.pem",
    keyPath: "/tmp/tls/private-key.pem",
    routes: [
        { path: "/api/", upstream: "thebot-backend:8000" },
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
    clientMaxBodySizeMb: 20,
    rateLimitPerSecond: 20,
    rateLimitBurst: 40,
};

describe("renderNginxConfig", () => {
    it.each<[string, NginxSiteSettings]>([
        ["the Django system", SETTINGS],
        ["an API at /", { ...SETTINGS, routes: [{ path: "/", upstream: "api:8000" }], rootDirectory: undefined }],
        [
            "a non-default port and a short HSTS",
            { ...SETTINGS, publicHttpsPort: 8443, headers: { ...SETTINGS.headers, hstsMaxAgeSeconds: 3600 } },
        ],
        [
            "paths with spaces, quotes and braces",
            { ...SETTINGS, rootDirectory: "/srv/my site", routes: [{ path: '/a "b" {c}/', upstream: "a:1" }] },
        ],
    ])("is the text of its tree, which parses back to the same tree and the same facts: %s", (_case, settings) => {
        const tree = nginxConfigTree(settings);
        const parsed = parseNginxConfig(renderNginxConfig(settings));
        expect(parsed).toEqual(tree);
        expect(nginxHeaderFacts(parsed)).toEqual(nginxHeaderFacts(tree));
    });

    it("quotes the arguments that need it", () => {
        const text = renderNginxConfig(SETTINGS);
        expect(text).toContain(
            '        add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;\n',
        );
        expect(text).toContain('        "" close;\n');
        expect(text).toContain('            return 200 "ok\\n";\n');
        expect(renderNginxConfig({ ...SETTINGS, rootDirectory: "/srv/a;b" })).toContain('root "/srv/a;b";');
    });
});

describe("proxied locations", () => {
    it("drop the upstream's copy of every platform security header, so each is sent once with the platform's value", () => {
        const all = (directives: readonly NginxDirective[]): NginxDirective[] =>
            directives.flatMap((one) => [one, ...all(one.block ?? [])]);
        const proxied = all(nginxConfigTree(SETTINGS)).filter(
            (one) => one.name === "location" && ["/api/", "/ws/"].includes(one.args[0]),
        );
        expect(proxied).toHaveLength(2);
        for (const location of proxied) {
            const children = location.block ?? [];
            const hidden = children.filter((child) => child.name === "proxy_hide_header").map((child) => child.args);
            const added = children.filter((child) => child.name === "add_header").map((child) => [child.args[0]]);
            expect(hidden).toEqual(securityHeaders(SETTINGS.headers).map(([name]) => [name]));
            expect(hidden).toEqual(added);
        }
    });
});

describe("nginxHeaderFacts", () => {
    it("gives every HTTPS server and header-setting location its effective headers, once per distinct set", () => {
        const facts = nginxHeaderFacts(nginxConfigTree(SETTINGS));
        expect(facts.servers).toEqual([
            { listen: "8080 default_server", https: false, onlyRedirects: true },
            { listen: "8443 ssl http2 default_server", https: true, headers: [["", 0]] },
            { listen: "8080", https: false, onlyRedirects: true },
            {
                listen: "8443 ssl http2",
                https: true,
                headers: [
                    ["", 0],
                    ["location /api/", 0],
                    ["location /ws/", 0],
                    ["location /static/", 0],
                    ["location /media/", 1],
                    ["location /", 0],
                ],
            },
        ]);
        expect(facts.headerSets).toHaveLength(2);
        expect(facts.headerSets[0]["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
        expect(facts.headerSets[0]["content-security-policy"]).toBe(DEFAULT_CONTENT_SECURITY_POLICY);
        expect(facts.headerSets[1]["content-security-policy"]).toBe(UPLOAD_CONTENT_SECURITY_POLICY);
        expect(facts.headerSets[1]["content-disposition"]).toBe("attachment");
    });

    it("follows nginx's inheritance in text written by hand: http-level headers, a location that drops them", () => {
        const facts = nginxHeaderFacts(
            parseNginxConfig(
                "http { add_header X-Frame-Options DENY always; server { listen 443 ssl; location / { if ($a) { add_header X-A b; } } location /x/ { add_header X-B c; } } server { listen 80; root /srv; } }",
            ),
        );
        expect(facts).toEqual({
            servers: [
                {
                    listen: "443 ssl",
                    https: true,
                    headers: [
                        ["", 0],
                        ["location / > if ($a)", 1],
                        ["location /x/", 2],
                    ],
                },
                { listen: "80", https: false, onlyRedirects: false },
            ],
            headerSets: [{ "x-frame-options": "DENY" }, { "x-a": "b" }, { "x-b": "c" }],
        });
    });
});

/** The named directives of a block, as nginx reads them back from the rendered text. */
const named = (block: readonly NginxDirective[] | undefined, name: string) =>
    (block ?? []).filter((item) => item.name === name);

describe("the edge of renderNginxConfig", () => {
    const http = parseNginxConfig(renderNginxConfig(SETTINGS)).find((item) => item.name === "http")!.block!;
    const servers = named(http, "server").map((server) => server.block!);

    it("speaks Mozilla's intermediate TLS profile (guideline v6) to every server, with HTTP/2", () => {
        const tls = http.filter((item) => item.name.startsWith("ssl_"));
        expect(tls).toEqual([
            directive("ssl_protocols", "TLSv1.2", "TLSv1.3"),
            directive(
                "ssl_ciphers",
                "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305",
            ),
            directive("ssl_ecdh_curve", "X25519:prime256v1:secp384r1"),
            directive("ssl_prefer_server_ciphers", "off"),
            directive("ssl_session_cache", "shared:TLS:10m"),
            directive("ssl_session_timeout", "1d"),
            directive("ssl_session_tickets", "off"),
            directive("ssl_certificate", "/tmp/tls/certificate.pem"),
            directive("ssl_certificate_key", "/tmp/tls/private-key.pem"),
        ]);
        // No server overrides the profile.
        expect(servers.flatMap((server) => server.filter((item) => item.name.startsWith("ssl_")))).toEqual([]);
        expect(servers.flatMap((server) => named(server, "listen"))).toEqual([
            directive("listen", "8080", "default_server"),
            directive("listen", "8443", "ssl", "http2", "default_server"),
            directive("listen", "8080"),
            directive("listen", "8443", "ssl", "http2"),
        ]);
    });

    it("refuses unknown Host names: 444 on plain HTTP, 421 with the headers on HTTPS; only its names redirect", () => {
        const [plainDefault, tlsDefault, plainNamed, tlsNamed] = servers;
        expect(plainDefault).toEqual([directive("listen", "8080", "default_server"), directive("return", "444")]);
        expect(named(tlsDefault, "server_name")).toEqual([]);
        expect(named(tlsDefault, "return")).toEqual([directive("return", "421")]);
        expect(named(tlsDefault, "location")).toEqual([]);
        expect(named(tlsDefault, "add_header")).toEqual(named(tlsNamed, "add_header"));
        expect(plainNamed).toEqual([
            directive("listen", "8080"),
            directive("server_name", ...SETTINGS.serverNames),
            directive("return", "301", "https://$host$request_uri"),
        ]);
        expect(named(tlsNamed, "server_name")).toEqual([directive("server_name", ...SETTINGS.serverNames)]);
    });

    it("sends the headers of the one table everywhere, and uploads as sandboxed downloads", () => {
        const [, , , tlsNamed] = servers;
        const headersOf = (block: readonly NginxDirective[]) =>
            named(block, "add_header").map((item) => [item.args[0], item.args[1], item.args[2]]);
        expect(headersOf(tlsNamed)).toEqual([
            ["Strict-Transport-Security", "max-age=63072000; includeSubDomains", "always"],
            ["X-Content-Type-Options", "nosniff", "always"],
            ["X-Frame-Options", "DENY", "always"],
            ["Referrer-Policy", "strict-origin-when-cross-origin", "always"],
            ["Content-Security-Policy", DEFAULT_CONTENT_SECURITY_POLICY, "always"],
            ["Cross-Origin-Opener-Policy", "same-origin", "always"],
            ["Permissions-Policy", "camera=(), microphone=(), geolocation=()", "always"],
        ]);
        const media = named(tlsNamed, "location").find((item) => item.args[0] === "/media/")!.block!;
        expect(headersOf(media)).toEqual([
            ["Strict-Transport-Security", "max-age=63072000; includeSubDomains", "always"],
            ["X-Content-Type-Options", "nosniff", "always"],
            ["X-Frame-Options", "DENY", "always"],
            ["Referrer-Policy", "strict-origin-when-cross-origin", "always"],
            ["Content-Security-Policy", "default-src 'none'; sandbox", "always"],
            ["Cross-Origin-Opener-Policy", "same-origin", "always"],
            ["Permissions-Policy", "camera=(), microphone=(), geolocation=()", "always"],
            ["Content-Disposition", "attachment", "always"],
        ]);
        const preload = parseNginxConfig(
            renderNginxConfig({ ...SETTINGS, headers: { ...SETTINGS.headers, hstsPreload: true } }),
        );
        expect(JSON.stringify(preload)).toContain('"max-age=63072000; includeSubDomains; preload"');
    });

    it("redirects to the public HTTPS port when it is not 443", () => {
        const text = renderNginxConfig({ ...SETTINGS, publicHttpsPort: 8443 });
        const plainNamed = named(named(named(parseNginxConfig(text), "http")[0].block, "server")[2].block, "return");
        expect(plainNamed).toEqual([directive("return", "301", "https://$host:8443$request_uri")]);
    });
});
