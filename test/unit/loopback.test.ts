import { describe, expect, it } from "vitest";
import { canonicalHost, isLoopbackAddress, isLoopbackHost, isUnspecifiedAddress } from "../../rules/loopback";
import { isLoopback } from "../../rules/containerHardening";
import { LOOPBACK_SPELLINGS, REMOTE_HOSTS, UNSPECIFIED_SPELLINGS } from "./guardCases";

describe("isLoopbackHost", () => {
    it.each(LOOPBACK_SPELLINGS)("reads %j as this machine's loopback interface", (host) => {
        expect(isLoopbackHost(host)).toBe(true);
        expect(isLoopbackAddress(host)).toBe(true);
    });

    it.each(UNSPECIFIED_SPELLINGS)("reads the unspecified address %j as this machine, but not as loopback", (host) => {
        expect(isLoopbackHost(host)).toBe(true);
        expect(isUnspecifiedAddress(host)).toBe(true);
        expect(isLoopbackAddress(host)).toBe(false);
    });

    it.each(REMOTE_HOSTS)("reads %j as another machine", (host) => {
        expect(isLoopbackHost(host)).toBe(false);
    });

    it("normalises hosts as the WHATWG URL parser of a special scheme does", () => {
        expect(canonicalHost("127.1")).toBe("127.0.0.1");
        expect(canonicalHost("2130706433")).toBe("127.0.0.1");
        expect(canonicalHost("LOCALHOST.")).toBe("localhost");
        expect(canonicalHost("::ffff:127.0.0.1")).toBe("[::ffff:7f00:1]");
        expect(canonicalHost("[0:0:0:0:0:0:0:1]")).toBe("[::1]");
    });

    it("keeps a published port on loopback the good case, and 0.0.0.0 or :: the bad one", () => {
        expect(["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"].every(isLoopback)).toBe(true);
        expect(["0.0.0.0", "::", "[::]", "10.0.0.5", ""].some(isLoopback)).toBe(false);
    });
});
