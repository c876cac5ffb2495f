import { createHash } from "node:crypto";
import { KnownEnvironment } from "./containerProps";
import { NginxDirective, serializeNginxConfig } from "./nginxTree";

/**
 * What the proxy-security-headers guard needs to know about an nginx configuration, computed from its directive
 * tree the way nginx applies it: `add_header` is inherited from the enclosing level only when a level has none of its
 * own, so one `add_header` in a `location` silently drops every server-level header there. The Nginx component
 * carries these facts, with the digest of the text they describe, in a label; the pack checks them instead of the
 * text, and computes the same facts from the text of any other nginx.
 */

/** Response headers by lower-cased name. */
export type HeaderRecord = Readonly<Record<string, string>>;

export interface NginxServerFacts {
    /** Arguments of the server's first `listen`, e.g. "8443 ssl default_server"; absent when it has none. */
    readonly listen?: string;
    /** It listens with ssl (or quic, or has `ssl on`). */
    readonly https: boolean;
    /** Plain HTTP only: it redirects to HTTPS and serves nothing itself. */
    readonly onlyRedirects?: boolean;
    /**
     * HTTPS only: the server ("") and each location or if below it that sets headers of its own ("location /api/",
     * "location / > if ($x)"), with the index in `headerSets` of the headers in effect there.
     */
    readonly headers?: readonly (readonly [string, number])[];
}

export interface NginxHeaderFacts {
    readonly servers: readonly NginxServerFacts[];
    /** The distinct effective header sets, referred to by index (most locations repeat the server's). */
    readonly headerSets: readonly HeaderRecord[];
}

/** Facts as the Nginx component labels them: with the sha256 (hex) of the configuration text they describe. */
export interface NginxFactsLabel extends NginxHeaderFacts {
    readonly sha256: string;
}

/** Headers a level sets itself with add_header (or more_set_headers), lower-cased names; undefined if none. */
function ownHeaders(block: readonly NginxDirective[]): Map<string, string> | undefined {
    const headers = new Map<string, string>();
    for (const directive of block) {
        if (directive.name === "add_header" && directive.args.length >= 2) {
            headers.set(directive.args[0].toLowerCase(), directive.args[1]);
        } else if (directive.name === "more_set_headers") {
            for (const arg of directive.args.filter((item) => !item.startsWith("-"))) {
                const colon = arg.indexOf(":");
                if (colon > 0) {
                    headers.set(arg.slice(0, colon).trim().toLowerCase(), arg.slice(colon + 1).trim());
                }
            }
        }
    }
    return headers.size > 0 || block.some((directive) => directive.name === "add_header") ? headers : undefined;
}

function isHttpsServer(server: readonly NginxDirective[]): boolean {
    return server.some(
        (directive) =>
            (directive.name === "listen" && directive.args.some((arg) => arg === "ssl" || arg === "quic")) ||
            (directive.name === "ssl" && directive.args[0] === "on"),
    );
}

const redirectsToHttps = (directive: NginxDirective) =>
    directive.name === "return" &&
    /^30[1278]$/.test(directive.args[0] ?? "") &&
    /^https:\/\//.test(directive.args[1] ?? "");

/** `return 444` (close without an answer) or a bare 4xx status: a refusal that serves no content. */
const refuses = (directive: NginxDirective) =>
    directive.name === "return" && directive.args.length === 1 && /^4\d\d$/.test(directive.args[0]);

const SERVING = new Set(["proxy_pass", "root", "alias", "fastcgi_pass", "uwsgi_pass", "grpc_pass", "try_files"]);

/**
 * True when a plain-HTTP server serves nothing itself: it redirects to HTTPS (return 301/302/307/308 https://...)
 * or refuses (a default server's `return 444` for unknown Host names).
 */
function onlyRedirectsToHttps(server: readonly NginxDirective[]): boolean {
    const serves = (block: readonly NginxDirective[]): boolean =>
        block.some(
            (directive) =>
                SERVING.has(directive.name) ||
                (directive.name === "return" && !redirectsToHttps(directive) && !refuses(directive)) ||
                (directive.block !== undefined && serves(directive.block)),
        );
    return server.some((directive) => redirectsToHttps(directive) || refuses(directive)) && !serves(server);
}

/** The facts of a configuration tree: each server of its http block (or of the top level), in order. */
export function nginxHeaderFacts(tree: readonly NginxDirective[]): NginxHeaderFacts {
    const http = tree.find((directive) => directive.name === "http" && directive.block);
    const httpBlock = http?.block ?? tree;
    const httpHeaders = ownHeaders(httpBlock);
    const headerSets: HeaderRecord[] = [];
    const setIndex = new Map<string, number>();
    const indexOf = (headers: ReadonlyMap<string, string>) => {
        const record = Object.fromEntries(headers);
        const key = JSON.stringify(record);
        if (!setIndex.has(key)) {
            setIndex.set(key, headerSets.push(record) - 1);
        }
        return setIndex.get(key)!;
    };
    const servers = httpBlock.flatMap((server): NginxServerFacts[] => {
        if (server.name !== "server" || server.block === undefined) {
            return [];
        }
        const block = server.block;
        const listen = block.find((directive) => directive.name === "listen")?.args.join(" ");
        if (!isHttpsServer(block)) {
            return [{ listen, https: false, onlyRedirects: onlyRedirectsToHttps(block) }];
        }
        const serverHeaders = ownHeaders(block) ?? httpHeaders ?? new Map<string, string>();
        const headers: [string, number][] = [["", indexOf(serverHeaders)]];
        const visit = (inner: readonly NginxDirective[], inherited: ReadonlyMap<string, string>, at: string) => {
            for (const directive of inner) {
                if ((directive.name === "location" || directive.name === "if") && directive.block) {
                    const place = `${at}${at ? " > " : ""}${directive.name} ${directive.args.join(" ")}`;
                    const own = ownHeaders(directive.block);
                    if (own !== undefined) {
                        headers.push([place, indexOf(own)]);
                    }
                    visit(directive.block, own ?? inherited, place);
                }
            }
        };
        visit(block, serverHeaders, "");
        return [{ listen, https: true, headers }];
    });
    return { servers, headerSets };
}

/** The sha256 (hex) of a configuration text. */
export function configDigest(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

/** The label value the Nginx component sets: compact JSON of the tree's facts and of its text's digest. */
export function nginxFactsLabel(tree: readonly NginxDirective[]): string {
    const facts: NginxFactsLabel = { sha256: configDigest(serializeNginxConfig(tree)), ...nginxHeaderFacts(tree) };
    return JSON.stringify(facts);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);

const isHeaderRecord = (value: unknown): value is HeaderRecord =>
    isRecord(value) && Object.values(value).every((item) => typeof item === "string");

function isServerFacts(value: unknown, sets: number): value is NginxServerFacts {
    return (
        isRecord(value) &&
        (value.listen === undefined || typeof value.listen === "string") &&
        typeof value.https === "boolean" &&
        (value.https
            ? Array.isArray(value.headers) &&
              value.headers.every(
                  (place: unknown) =>
                      Array.isArray(place) &&
                      place.length === 2 &&
                      typeof place[0] === "string" &&
                      Number.isInteger(place[1]) &&
                      place[1] >= 0 &&
                      place[1] < sets,
              )
            : typeof value.onlyRedirects === "boolean")
    );
}

function isFactsLabel(value: unknown): value is NginxFactsLabel {
    return (
        isRecord(value) &&
        typeof value.sha256 === "string" &&
        Array.isArray(value.headerSets) &&
        value.headerSets.every(isHeaderRecord) &&
        Array.isArray(value.servers) &&
        value.servers.every((server) => isServerFacts(server, (value.headerSets as unknown[]).length))
    );
}

/** A facts label read back, or undefined when it is not one (not JSON, or not of this shape). */
export function readNginxFactsLabel(value: string): NginxFactsLabel | undefined {
    try {
        const parsed: unknown = JSON.parse(value);
        return isFactsLabel(parsed) ? parsed : undefined;
    } catch {
        return undefined;
    }
}

/**
 * The labelled facts, when they describe the configuration the container receives in `variable`: it holds the text
 * they were computed from, or it cannot be seen (the environment, which holds the TLS key, is unknown in a preview).
 * undefined when there is no readable label, or the variable holds other text or is known to be absent: then what
 * the container really gets is checked instead.
 */
export function labelledNginxFacts(
    label: string | undefined,
    environment: KnownEnvironment | undefined,
    variable: string,
): NginxHeaderFacts | undefined {
    const facts = label === undefined ? undefined : readNginxFactsLabel(label);
    if (facts === undefined) {
        return undefined;
    }
    const text = environment && Object.hasOwn(environment.env, variable) ? environment.env[variable] : undefined;
    if (text === undefined) {
        return environment?.complete ? undefined : facts;
    }
    return configDigest(text) === facts.sha256 ? facts : undefined;
}
