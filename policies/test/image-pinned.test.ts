import { beforeAll, describe, expect, it } from "vitest";
import { TYPES } from "../lib/guard";
import { BACKEND_IMAGE, PlatformFixture, platformFixture } from "./fixtures";
import { UNKNOWN, runResourcePolicy, withChange } from "./harness";
import { resourcePolicy } from "./helpers";

const policy = resourcePolicy("image-pinned");
const DIGEST = `sha256:${"3b5d7e2f9a1c4b6d8e0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b"}`;
const FIX =
    "Fix: pin the image by digest (name@sha256:...) or an immutable version tag such as 1.4.2 or a commit hash.";

describe("image-pinned", () => {
    let fixture: PlatformFixture;
    let image: Record<string, unknown>;
    let web: Record<string, unknown>;
    beforeAll(async () => {
        fixture = await platformFixture();
        image = fixture.named("thebot-backend-image").props;
        web = fixture.named("thebot-backend-web-1").props;
    });

    it("accepts every image and container of the platform (digests and engine image IDs)", () => {
        for (const resource of [...fixture.ofType(TYPES.remoteImage), ...fixture.ofType(TYPES.container)]) {
            expect(runResourcePolicy(policy, resource).violations).toEqual([]);
        }
        expect(image.name).toBe(BACKEND_IMAGE);
    });

    it.each([
        ["no tag", "registry.example.com/thebot/backend", "has no tag, which means latest"],
        ["latest", "registry.example.com/thebot/backend:latest", 'uses the moving tag "latest"'],
        ["a major-version tag", "postgres:15", 'uses the tag "15", which can move to a different build'],
        ["a stable tag", "nginx:stable-alpine", 'uses the tag "stable-alpine", which can move to a different build'],
        ["a malformed digest", "redis@sha256:abc", 'has a malformed digest "sha256:abc"'],
    ])("reports a RemoteImage name with %s", (_case, name, problem) => {
        expect(
            runResourcePolicy(policy, {
                type: TYPES.remoteImage,
                name: "thebot-backend-image",
                props: withChange(image, (props) => (props.name = name)),
            }).violations,
        ).toEqual([`RemoteImage "thebot-backend-image" breaks image-pinned: name: "${name}" ${problem}. ${FIX}`]);
    });

    it.each([
        ["an immutable version tag", "registry.example.com/thebot/backend:1.4.2"],
        ["a commit tag", "registry.example.com/thebot/backend:3f2a9c1"],
        ["a digest", `registry.example.com/thebot/backend@${DIGEST}`],
    ])("accepts a RemoteImage name with %s", (_case, name) => {
        expect(
            runResourcePolicy(policy, { type: TYPES.remoteImage, name: "img", props: { ...image, name } }).violations,
        ).toEqual([]);
    });

    it("reports a container that runs a moving tag directly", () => {
        const props = withChange(web, (copy) => (copy.image = "nginx:latest"));
        expect(
            runResourcePolicy(policy, { type: TYPES.container, name: "thebot-backend-web-1", props }).violations,
        ).toEqual([
            `Container "thebot-backend-web-1" breaks image-pinned: image: "nginx:latest" uses the moving tag "latest". ${FIX}`,
        ]);
    });

    describe("with allowedDigests", () => {
        const other = `sha256:${"a".repeat(64)}`;
        it("accepts an allow-listed digest", () => {
            expect(
                runResourcePolicy(
                    policy,
                    { type: TYPES.remoteImage, name: "img", props: image },
                    { allowedDigests: [DIGEST] },
                ).violations,
            ).toEqual([]);
        });

        it("reports a digest that is not allow-listed and a pulled image without digest", () => {
            expect(
                runResourcePolicy(
                    policy,
                    { type: TYPES.remoteImage, name: "img", props: image },
                    { allowedDigests: [other] },
                ).violations,
            ).toEqual([
                `RemoteImage "img" breaks image-pinned: name: "${BACKEND_IMAGE}" has a digest that is not in allowedDigests, and this stack only runs allow-listed digests. Fix: pin the image by one of the digests in the image-pinned policy's allowedDigests, or add its reviewed digest there.`,
            ]);
            const tagged = { ...image, name: "registry.example.com/thebot/backend:1.4.2" };
            expect(
                runResourcePolicy(
                    policy,
                    { type: TYPES.remoteImage, name: "img", props: tagged },
                    { allowedDigests: [other] },
                ).violations[0],
            ).toContain(
                '"registry.example.com/thebot/backend:1.4.2" carries no digest, and this stack only runs allow-listed digests.',
            );
        });

        it("does not ask a locally built image for a digest", () => {
            const built = { name: "thebot/backend:3f2a9c1", build: { context: "./backend", dockerfile: "Dockerfile" } };
            expect(
                runResourcePolicy(
                    policy,
                    { type: TYPES.remoteImage, name: "img", props: built },
                    { allowedDigests: [other] },
                ).violations,
            ).toEqual([]);
        });
    });

    it("skips values that are unknown at preview", () => {
        expect(
            runResourcePolicy(policy, { type: TYPES.remoteImage, name: "img", props: { ...image, name: UNKNOWN } })
                .violations,
        ).toEqual([]);
        const outcome = runResourcePolicy(policy, {
            type: TYPES.container,
            name: "web",
            props: { ...web, image: UNKNOWN },
        });
        expect(outcome).toEqual({ violations: [], urns: [] });
    });
});
