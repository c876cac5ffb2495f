import { describe, expect, it } from "vitest";
import { commandLineSecretReasons } from "../../rules/commandSecrets";
import { forbiddenHostPath, FORBIDDEN_HOST_PATHS, isLoopback } from "../../rules/containerHardening";
import { environmentOf, normalisePath } from "../../rules/containerProps";
import { identifyContainer } from "../../rules/containerRole";
import { parseDockerRun } from "../../rules/dockerRun";
import { parseNginxConfig } from "../../rules/nginxTree";
import { shellWords, simpleCommands } from "../../rules/shellWords";
import { UNKNOWN } from "./harness";

describe("shellWords", () => {
    it.each([
        ["plain words", "a b  c", ["a", "b", "c"]],
        ["single and double quotes", `printf '%s\\n' "$X y"`, ["printf", "%s\\n", "$X y"]],
        ["an escaped quote inside single quotes", `echo 'it'\\''s'`, ["echo", "it's"]],
        ["operators", "a&&b|c;d", ["a", "&&", "b", "|", "c", ";", "d"]],
        ["a redirection with a descriptor", "cmd 2>&1", ["cmd", ">&", "1"]],
        ["a comment", "a # b c", ["a"]],
    ])("splits %s", (_case, text, words) => {
        expect(shellWords(text)).toEqual(words);
    });

    it.each([
        ["a comment up to the end of its line only", "a # b\nc d", ["a", "c", "d"]],
        ["a # inside a word as itself", "curl http://x/#top -o a#b", ["curl", "http://x/#top", "-o", "a#b"]],
        [
            "variables literally, braces kept where they say more than the name",
            "echo $A ${B} ${C:-d} $1 $@",
            ["echo", "$A", "$B", "${C:-d}", "$1", "$@"],
        ],
        ["a glob as its pattern", "ls *.txt a?b", ["ls", "*.txt", "a?b"]],
        ["continued lines as one", "docker run \\\n  --rm img", ["docker", "run", "--rm", "img"]],
        ["bash's operators as one word each", "a |& b >| c &>> d", ["a", "|&", "b", ">|", "c", "&>>", "d"]],
        ["a number before a spaced redirection as an argument", "echo 2 > f", ["echo", "2", ">", "f"]],
        ["a malformed substitution", "echo ${ x", ["echo", "${", "x"]],
    ])("reads %s", (_case, text, words) => {
        expect(shellWords(text)).toEqual(words);
    });

    it("splits bash's separators and process substitutions into commands", () => {
        expect(simpleCommands(shellWords("a |& b; diff <(c) <(d) 2>/dev/null"))).toEqual([
            ["a"],
            ["b"],
            ["diff"],
            ["c"],
            ["d"],
        ]);
    });

    it("hands out a copy each time, so a caller cannot change what the next one reads", () => {
        const first = shellWords("sh -c 'a b'");
        first.push("changed");
        expect(shellWords("sh -c 'a b'")).toEqual(["sh", "-c", "a b"]);
    });

    it("splits simple commands at separators", () => {
        expect(simpleCommands(shellWords("a 1 && exec b 2; c"))).toEqual([["a", "1"], ["exec", "b", "2"], ["c"]]);
    });
});

describe("parseDockerRun", () => {
    it("reads labels, image and command of the platform's migration step", () => {
        const run = parseDockerRun(
            "docker run --rm --label webplatform.role=migration --network net --user 10001:10001 --read-only --tmpfs /tmp:rw --env DATABASE_URL -e X sha256:abc sh -c 'python manage.py migrate' 2>&1",
        );
        expect(run).toEqual({
            labels: { "webplatform.role": "migration" },
            image: "sha256:abc",
            command: ["sh", "-c", "python manage.py migrate"],
        });
    });

    it("handles global options, `docker container run`, --opt=value and a leading assignment", () => {
        expect(
            parseDockerRun("DOCKER_HOST=ssh://x docker --context prod container run --label=a=b -it app:1.0.0 migrate"),
        ).toEqual({
            labels: { a: "b" },
            image: "app:1.0.0",
            command: ["migrate"],
        });
    });

    it("returns undefined for anything that is not docker run", () => {
        expect(parseDockerRun("docker exec db psql")).toBeUndefined();
        expect(parseDockerRun("openssl req -x509")).toBeUndefined();
        expect(parseDockerRun("docker run --rm")).toBeUndefined();
    });
});

describe("parseNginxConfig", () => {
    it("parses nested blocks with quoted braces and comments", () => {
        expect(parseNginxConfig('http { # c\n server { return 200 "{ok}"; } }')).toEqual([
            {
                name: "http",
                args: [],
                block: [{ name: "server", args: [], block: [{ name: "return", args: ["200", "{ok}"] }] }],
            },
        ]);
    });

    it.each([
        ["an unclosed block", "http {", "a { is never closed"],
        ["a missing semicolon", "worker_processes 1", 'the directive "worker_processes" does not end with ;'],
    ])("rejects %s", (_case, text, message) => {
        expect(() => parseNginxConfig(text)).toThrow(message);
    });
});

describe("identifyContainer", () => {
    it.each<[string, Record<string, unknown>, object]>([
        [
            "a labelled container by its label",
            { labels: [{ label: "webplatform.role", value: "worker" }], image: "sha256:1" },
            { role: "worker", basis: "label" },
        ],
        [
            "postgres by image",
            { image: "docker.io/library/postgres:16.4-alpine" },
            { role: "database", engine: "postgres", basis: "image" },
        ],
        [
            "bitnami postgresql by image",
            { image: "bitnami/postgresql:16" },
            { role: "database", engine: "postgres", basis: "image" },
        ],
        [
            "valkey by image",
            { image: "valkey/valkey:8.0.1@sha256:" + "a".repeat(64) },
            { role: "cache", engine: "redis", basis: "image" },
        ],
        ["mysql by image", { image: "mysql:8.4.2" }, { role: "database", engine: "mysql", basis: "image" }],
        [
            "redis by command behind an image ID",
            { image: "sha256:1", command: ["sh", "-c", "exec redis-server /etc/redis.conf"] },
            { role: "cache", engine: "redis", basis: "signals" },
        ],
        [
            "postgres by healthcheck",
            { image: "sha256:1", healthcheck: { tests: ["CMD-SHELL", "pg_isready -U a -d b"] } },
            { role: "database", engine: "postgres", basis: "signals" },
        ],
        [
            "postgres by data path",
            { image: "sha256:1", volumes: [{ volumeName: "pg", containerPath: "/var/lib/postgresql/data" }] },
            { role: "database", engine: "postgres", basis: "signals" },
        ],
        [
            "nginx by image",
            { image: "nginxinc/nginx-unprivileged:1.27.1" },
            { role: "proxy", engine: "nginx", basis: "image" },
        ],
        ["a one-shot container", { image: "ghcr.io/acme/tool:1.0.0", attach: true }, { role: "job", basis: "signals" }],
        [
            "anything else as an application",
            { image: "ghcr.io/acme/api:2.3.1" },
            { role: "application", basis: "default" },
        ],
    ])("recognises %s", (_case, props, identity) => {
        expect(identifyContainer(props)).toEqual(identity);
    });

    it("falls back to the image while the labels are unknown (unset labels are computed by the engine)", () => {
        expect(identifyContainer({ labels: UNKNOWN, image: "postgres:16.4" })).toMatchObject({
            role: "database",
            basis: "image",
        });
    });
});

describe("small readers", () => {
    it("reads envs with unknown entries", () => {
        expect(environmentOf(["A=1", UNKNOWN, "B=x=y", "NOVALUE"])).toEqual({
            env: { A: "1", B: "x=y" },
            complete: false,
        });
        expect(environmentOf(UNKNOWN)).toBeUndefined();
        expect(environmentOf(undefined)).toEqual({ env: {}, complete: true });
    });

    it("normalises paths and matches forbidden host paths by subtree, the root only exactly", () => {
        expect(normalisePath("//var/./run/../run/docker.sock/")).toBe("/var/run/docker.sock");
        expect(forbiddenHostPath("/etc/nginx", FORBIDDEN_HOST_PATHS)).toBe("/etc");
        expect(forbiddenHostPath("/", FORBIDDEN_HOST_PATHS)).toBe("/");
        expect(forbiddenHostPath("/srv/data", FORBIDDEN_HOST_PATHS)).toBeUndefined();
        expect(forbiddenHostPath("/etcetera", FORBIDDEN_HOST_PATHS)).toBeUndefined();
    });

    it("knows loopback addresses", () => {
        expect(["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"].every(isLoopback)).toBe(true);
        expect(["0.0.0.0", "::", "10.0.0.5", ""].some(isLoopback)).toBe(false);
    });

    it("finds secrets in nested shells but not variable references", () => {
        expect(commandLineSecretReasons(["sh", "-c", `su app -c 'redis-cli -a hunter2hunter2 ping'`])).toEqual([
            "passes the Redis password to redis-cli with -a",
        ]);
        expect(commandLineSecretReasons(["sh", "-c", 'redis-cli -a "$REDIS_PASSWORD" ping'])).toEqual([]);
    });
});
