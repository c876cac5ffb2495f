import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker } from "./docker";
import { SWARM_NODES, SwarmNode, nodeDocker, nodeName, overlayEncryption, swarmScript, swarmUp } from "./swarm";

/**
 * The real three-node swarm of `scripts/swarm-nodes.sh`: made from nothing (the time `up` takes is printed),
 * every node Ready with the labels the swarm target's placement needs, the main engine left out, and a DNS
 * round-robin service on two worker nodes reached by name across nodes over overlay networks.
 */
const PREFIX = "wpswarm-probe";
const IMAGE = "webplatform/debian:bookworm";
const ECHO = `${PREFIX}-echo`;
const PLAIN = `${PREFIX}-plain`;
const ENCRYPTED = `${PREFIX}-encrypted`;

/** Answers each connection with the name of the node it runs on (the service sets the hostname to it). */
const ECHO_SERVER = [
    "perl",
    "-MIO::Socket::INET",
    "-e",
    'open my $h, "<", "/etc/hostname" or die; my $n = <$h>; chomp $n; ' +
        'my $s = IO::Socket::INET->new(LocalPort => 8080, Listen => 16, ReuseAddr => 1) or die "listen: $!"; ' +
        'while (my $c = $s->accept) { print $c "$n\\n"; close $c }',
];

/** Resolves the service name and connects to every address it returns: one "address answer" line each. */
const ECHO_CLIENT = [
    "perl",
    "-MIO::Socket::INET",
    "-e",
    "my @a = grep { defined } (gethostbyname($ARGV[0]))[4 .. 20]; " +
        'for my $ip (map { join ".", unpack "C4", $_ } @a) { ' +
        "my $c = IO::Socket::INET->new(PeerAddr => $ip, PeerPort => 8080, Timeout => 3); " +
        'my $line = $c ? <$c> : undef; print $ip, " ", (defined $line ? $line : "no-answer\\n") }',
    ECHO,
];

function probe(network: string): { address: string; answer: string }[] {
    const output = nodeDocker(1, ["run", "--rm", "--network", network, IMAGE, ...ECHO_CLIENT]);
    return output
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => {
            const [address, answer] = line.split(" ");
            return { address, answer };
        });
}

function runningTaskNodes(): string[] {
    return nodeDocker(1, [
        "service",
        "ps",
        ECHO,
        "--filter",
        "desired-state=running",
        "--format",
        "{{.Node}} {{.CurrentState}}",
    ])
        .split("\n")
        .filter((line) => / Running /.test(line))
        .map((line) => line.split(" ")[0])
        .sort();
}

describe("scripts/swarm-nodes.sh: a real three-node swarm", () => {
    let upSeconds = 0;
    let statusOutput = "";

    beforeAll(async () => {
        // From nothing, so the measured time is what a fresh machine (with the images built) needs.
        expect((await swarmScript("down")).code).toBe(0);
        upSeconds = (await swarmUp()).seconds;
        console.log(`swarm-nodes.sh up from nothing: ${upSeconds.toFixed(1)} s (three dockerds, swarm, images)`);
        const again = await swarmUp();
        console.log(`swarm-nodes.sh up again (nothing to do): ${again.seconds.toFixed(1)} s`);
        statusOutput = (await swarmScript("status")).output;
    });

    afterAll(async () => {
        // The probe's service and networks go with the swarm: `down` removes the nodes' data roots.
        const down = await swarmScript("down");
        expect(down.code, down.output).toBe(0);
    });

    it("has three Ready nodes, node1 the leader, each with its labels; the main engine stays out", async () => {
        const nodes = nodeDocker(1, [
            "node",
            "ls",
            "--format",
            "{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}",
        ])
            .split("\n")
            .map((line) => line.trim())
            .sort();
        expect(nodes).toEqual([
            "wpswarm-node1 Ready Active Leader",
            "wpswarm-node2 Ready Active",
            "wpswarm-node3 Ready Active",
        ]);
        const labels = Object.fromEntries(
            SWARM_NODES.map((node: SwarmNode) => [
                nodeName(node),
                JSON.parse(nodeDocker(1, ["node", "inspect", nodeName(node), "--format", "{{json .Spec.Labels}}"])),
            ]),
        );
        expect(labels).toEqual({
            "wpswarm-node1": { "webplatform.role": "manager" },
            "wpswarm-node2": { "webplatform.datastore": "true" },
            "wpswarm-node3": { "webplatform.edge": "true" },
        });
        expect(docker(["info", "--format", "{{.Swarm.LocalNodeState}}"])).toBe("inactive");
        expect(statusOutput).toMatch(/^node1 10\.231\.0\.11 \S+ active$/m);
        expect((await swarmScript("status")).code).toBe(0);
    });

    it("has the images on every node, by the main engine's image ID", () => {
        const id = docker(["image", "inspect", "--format", "{{.Id}}", IMAGE]);
        for (const node of SWARM_NODES) {
            expect(nodeDocker(node, ["image", "inspect", "--format", "{{.Id}}", IMAGE])).toBe(id);
        }
    });

    it("reaches a dnsrr service on two worker nodes by name across nodes over an overlay network", async () => {
        nodeDocker(1, ["network", "create", "--driver", "overlay", "--attachable", PLAIN]);
        nodeDocker(1, ["network", "create", "--driver", "overlay", "--attachable", "--opt", "encrypted", ENCRYPTED]);
        nodeDocker(1, [
            "service",
            "create",
            "--detach",
            "--name",
            ECHO,
            "--endpoint-mode",
            "dnsrr",
            "--replicas",
            "2",
            "--replicas-max-per-node",
            "1",
            "--constraint",
            "node.role==worker",
            "--hostname",
            "{{.Node.Hostname}}",
            "--network",
            PLAIN,
            "--network",
            ENCRYPTED,
            IMAGE,
            ...ECHO_SERVER,
        ]);
        const deadline = Date.now() + 60_000;
        while (runningTaskNodes().length < 2 && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        expect(runningTaskNodes()).toEqual(["wpswarm-node2", "wpswarm-node3"]);

        // From a container on the manager, node1: every answer crosses to another node.
        const plain = probe(PLAIN);
        expect(plain).toHaveLength(2);
        expect(plain.map((entry) => entry.answer).sort()).toEqual(["wpswarm-node2", "wpswarm-node3"]);

        const encrypted = probe(ENCRYPTED);
        expect(encrypted).toHaveLength(2);
        if (overlayEncryption(statusOutput) === "supported") {
            expect(encrypted.map((entry) => entry.answer).sort()).toEqual(["wpswarm-node2", "wpswarm-node3"]);
        } else {
            // This kernel has no IPsec ESP / AES-GCM: the names resolve, but no packet crosses between nodes.
            expect(encrypted.map((entry) => entry.answer)).toEqual(["no-answer", "no-answer"]);
        }
    });
});
