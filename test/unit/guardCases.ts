/**
 * The spellings the production guards must see through, shared by the rule, policy-pack and stack-config tests:
 * truthy and falsy words as the popular parsers read them, and every form of "this machine".
 */

/** Every spelling of the loopback interface the rules must refuse as an application's destination. */
export const LOOPBACK_SPELLINGS = [
    "localhost",
    "LOCALHOST",
    "LocalHost",
    "localhost.",
    " localhost ",
    "localhost.localdomain",
    "ip6-localhost",
    "ip6-loopback",
    "api.localhost",
    "Api.LocalHost.",
    "*.localhost",
    "ＬＯＣＡＬＨＯＳＴ",
    "%6cocalhost",
    "127.0.0.1",
    "127.0.0.1.",
    "127.1.2.3",
    "127.255.255.254",
    "127.1",
    "127.0.1",
    "2130706433",
    "0x7f000001",
    "0x7f.1",
    "0177.0.0.1",
    "::1",
    "[::1]",
    "[::1]:8000",
    "0:0:0:0:0:0:0:1",
    "::ffff:127.0.0.1",
    "[::FFFF:127.0.0.1]",
    "::ffff:7f00:1",
    "::ffff:127.9.8.7",
    "localhost:8000",
] as const;
/** The unspecified address: as a destination, Linux connects it to this machine. */
export const UNSPECIFIED_SPELLINGS = ["0.0.0.0", "0.0.0.0.", "0", "0x0", "::", "[::]", "::ffff:0.0.0.0"] as const;
/** Hosts that are not this machine. */
export const REMOTE_HOSTS = [
    "db",
    "thebot-postgres",
    "thebot.example.com",
    "localhost.example.com",
    "mylocalhost",
    "127.example.com",
    "10.0.0.5",
    "128.0.0.1",
    "126.255.255.255",
    "::2",
    "fe80::1%eth0",
    "::ffff:10.0.0.1",
    "2001:db8::1",
    "",
] as const;

/** Hosts as they appear inside a URL (IPv6 in brackets), each meaning this machine. */
export const URL_LOOPBACK_HOSTS = [
    "localhost",
    "LOCALHOST",
    "LocalHost",
    "localhost.",
    "localhost.localdomain",
    "api.localhost",
    "%6cocalhost",
    "127.0.0.1",
    "127.0.0.1.",
    "127.1.2.3",
    "127.1",
    "2130706433",
    "0x7f.1",
    "0177.0.0.1",
    "0.0.0.0",
    "0",
    "[::1]",
    "[0:0:0:0:0:0:0:1]",
    "[::ffff:127.0.0.1]",
    "[::]",
] as const;

/** A word in the spellings people write it: lower, upper and title case, and with surrounding whitespace. */
function spellings(words: readonly string[]): string[] {
    return words.flatMap((word) => {
        const title = word.charAt(0).toUpperCase() + word.slice(1);
        return [...new Set([word, word.toUpperCase(), title, ` ${word} `, `\t${title}\n`])];
    });
}

/**
 * Values some popular parser reads as true: django-environ (true on ok y yes 1, any non-zero integer), strtobool,
 * pydantic and click (y yes t true on 1).
 */
export const TRUE_SPELLINGS = [...spellings(["y", "t", "on", "yes", "1", "true", "ok"]), "2", "-1", "+1", "01", "1_0"];
/** Values some popular parser reads as false: strtobool, pydantic and click (n no f false off 0), integer 0. */
export const FALSE_SPELLINGS = [...spellings(["n", "f", "off", "no", "0", "false"]), "00", "-0"];
/** Values django-environ reads as false although other parsers call them true or reject them. */
export const DJANGO_ENVIRON_FALSE = ["t", "T", "enabled", "", " "];
/** Values no popular parser reads as false. */
export const NEVER_FALSE = spellings(["true", "on", "ok", "y", "yes", "1"]);
