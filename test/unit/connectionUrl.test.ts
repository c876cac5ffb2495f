import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConnectionParts, formatConnectionUrl, parseConnectionUrl } from "../../rules/connectionUrl";
import { GENERATED_SECRET_LENGTHS, URL_SAFE_SECRET } from "../../components/secrets";

const urlSafeSecret = (minLength: number) =>
    fc.stringMatching(new RegExp(`^[A-Za-z0-9]{${minLength},${minLength + 24}}$`));
const identifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}$/);
const host = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);

const postgresParts: fc.Arbitrary<ConnectionParts> = fc.record({
    scheme: fc.constant("postgresql" as const),
    username: identifier,
    password: urlSafeSecret(GENERATED_SECRET_LENGTHS.password),
    host,
    port: fc.integer({ min: 1, max: 65535 }),
    database: identifier,
});

describe("connection URLs", () => {
    it("every URL built from URL-safe parts parses back to exactly those parts (5,000 cases)", () => {
        fc.assert(
            fc.property(postgresParts, (parts) => {
                expect(parseConnectionUrl(formatConnectionUrl(parts))).toEqual(parts);
            }),
            { numRuns: 5000 },
        );
    });

    it("Python's urllib (the parser behind dj-database-url) reads the same parts from 2,000 URLs", () => {
        const samples = fc.sample(postgresParts, { numRuns: 2000, seed: 42 });
        const urls = samples.map(formatConnectionUrl);
        const script = [
            "import json, sys",
            "from urllib.parse import urlsplit, unquote",
            "out = []",
            "for line in sys.stdin.read().splitlines():",
            "    u = urlsplit(line)",
            "    out.append([u.scheme, unquote(u.username), unquote(u.password), u.hostname, u.port, u.path[1:]])",
            "print(json.dumps(out))",
        ].join("\n");
        const parsed = JSON.parse(execFileSync("python3", ["-c", script], { input: urls.join("\n") }).toString());
        expect(parsed).toEqual(
            samples.map((parts) => [
                parts.scheme,
                parts.username,
                parts.password,
                parts.host,
                parts.port,
                parts.database,
            ]),
        );
    });

    it("refuses a password that would need escaping instead of producing an unparseable URL", () => {
        fc.assert(
            fc.property(
                fc.string({ minLength: 1, maxLength: 40 }).filter((text) => /[^A-Za-z0-9._~-]/.test(text)),
                (password) => {
                    expect(() =>
                        formatConnectionUrl({
                            scheme: "postgresql",
                            username: "app",
                            password,
                            host: "db",
                            port: 5432,
                            database: "app",
                        }),
                    ).toThrow("postgresql URL password contains characters that need escaping");
                },
            ),
            { numRuns: 2000 },
        );
    });

    it("never names the password in its error", () => {
        const password = "p@ss/w:rd#secret";
        expect(() =>
            formatConnectionUrl({ scheme: "redis", username: "", password, host: "cache", port: 6379, database: "0" }),
        ).toThrow(/^((?!p@ss).)*$/);
    });

    it("builds the Redis form with an empty user", () => {
        expect(
            formatConnectionUrl({
                scheme: "redis",
                username: "",
                password: "abc123",
                host: "cache",
                port: 6379,
                database: "2",
            }),
        ).toBe("redis://:abc123@cache:6379/2");
    });

    it("rejects URLs without an integer port, the seed outage", () => {
        expect(() => parseConnectionUrl("postgresql://app:pa@ss@db/app")).toThrow("connection URL has no integer port");
    });

    it("the generated-secret alphabet is exactly the URL-safe one", () => {
        expect(URL_SAFE_SECRET.test("Ab09")).toBe(true);
        for (const reserved of ["/", "@", ":", "#", "?", "%", "+", "=", "&"]) {
            expect(URL_SAFE_SECRET.test(`Ab${reserved}09`)).toBe(false);
        }
    });
});
