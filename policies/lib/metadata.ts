import type { PolicyComplianceFramework } from "@pulumi/policy";

/**
 * What each guard declares about itself, in the style of Pulumi's compliance-ready policies: a severity, topics, and
 * the checklist items it implements, by ID. An ID is its checklist's prefix and the item's own number there
 * (`CIS-Docker-5.5`, `OWASP-Docker-D04`, `Django-security.W018`, `OWASP-Top10-A05`), or for Kyverno the policy's name
 * (`Kyverno-require-ro-rootfs`). A guard lists the items whose control it enforces,
 * some more narrowly than written (README.md's guard table says which); an ID it is unsure of is left out.
 */

/** @pulumi/policy's severity scale. */
export type Severity = "low" | "medium" | "high" | "critical";

export type Topic =
    "application" | "availability" | "container" | "data" | "http" | "network" | "secrets" | "supply-chain";

/** The checklists, by the prefix of their item IDs. */
export const CHECKLISTS = {
    "CIS-Docker": { name: "CIS Docker Benchmark", version: "1.6.0" },
    "OWASP-Docker": { name: "OWASP Docker Top 10", version: "" },
    Django: { name: "Django deployment checks", version: "4.2" },
    "OWASP-Top10": { name: "OWASP Top 10", version: "2021" },
    Kyverno: { name: "Kyverno policies (best-practices, pod-security)", version: "" },
} as const satisfies Record<string, { readonly name: string; readonly version: string }>;

export type Checklist = keyof typeof CHECKLISTS;

/** Every checklist item a guard implements, with its title in that checklist. */
export const CHECKLIST_ITEMS = {
    "CIS-Docker-4.1": "Ensure that a user for the container has been created",
    "CIS-Docker-5.2": "Ensure that, if applicable, an AppArmor Profile is enabled",
    "CIS-Docker-5.4": "Ensure that Linux kernel capabilities are restricted within containers",
    "CIS-Docker-5.5": "Ensure that privileged containers are not used",
    "CIS-Docker-5.6": "Ensure sensitive host system directories are not mounted on containers",
    "CIS-Docker-5.10": "Ensure that the host's network namespace is not shared",
    "CIS-Docker-5.11": "Ensure that the memory usage for containers is limited",
    "CIS-Docker-5.13": "Ensure that the container's root filesystem is mounted as read only",
    "CIS-Docker-5.14": "Ensure that incoming container traffic is bound to a specific host interface",
    "CIS-Docker-5.15": "Ensure that the 'on-failure' container restart policy is set to '5'",
    "CIS-Docker-5.16": "Ensure that the host's process namespace is not shared",
    "CIS-Docker-5.17": "Ensure that the host's IPC namespace is not shared",
    "CIS-Docker-5.22": "Ensure the default seccomp profile is not Disabled",
    "CIS-Docker-5.26": "Ensure that the container is restricted from acquiring additional privileges",
    "CIS-Docker-5.27": "Ensure that container health is checked at runtime",
    "CIS-Docker-5.30": "Ensure that Docker's default bridge 'docker0' is not used",
    "CIS-Docker-5.31": "Ensure that the host's user namespaces are not shared",
    "CIS-Docker-5.32": "Ensure that the Docker socket is not mounted inside any containers",
    "OWASP-Docker-D01": "Secure User Mapping",
    "OWASP-Docker-D03": "Network Segmentation and Firewalling",
    "OWASP-Docker-D04": "Secure Defaults and Hardening",
    "OWASP-Docker-D06": "Protect Secrets",
    "OWASP-Docker-D07": "Resource Protection",
    "OWASP-Docker-D08": "Container Image Integrity and Origin",
    "OWASP-Docker-D09": "Follow Immutable Paradigm",
    "Django-security.W002": "XFrameOptionsMiddleware not in MIDDLEWARE: no X-Frame-Options header",
    "Django-security.W004": "SECURE_HSTS_SECONDS not set",
    "Django-security.W005": "SECURE_HSTS_INCLUDE_SUBDOMAINS not True",
    "Django-security.W006": "SECURE_CONTENT_TYPE_NOSNIFF not True",
    "Django-security.W008": "SECURE_SSL_REDIRECT not True",
    "Django-security.W009": "SECRET_KEY short, with few distinct characters, or django-insecure-",
    "Django-security.W012": "SESSION_COOKIE_SECURE not True",
    "Django-security.W015": "SESSION_COOKIE_HTTPONLY not True",
    "Django-security.W016": "CSRF_COOKIE_SECURE not True",
    "Django-security.W018": "DEBUG True in deployment",
    "Django-security.W020": "ALLOWED_HOSTS empty",
    "Django-security.W022": "SECURE_REFERRER_POLICY not set",
    "OWASP-Top10-A01": "Broken Access Control (CORS misconfiguration, cross-site request forgery)",
    "OWASP-Top10-A02": "Cryptographic Failures (weak keys, data sent in clear text)",
    "OWASP-Top10-A05": "Security Misconfiguration (debug on, development settings, default accounts)",
    "OWASP-Top10-A07": "Identification and Authentication Failures (default or weak passwords)",
    "Kyverno-disallow-latest-tag": "Disallow Latest Tag",
    "Kyverno-disallow-privileged-containers": "Disallow Privileged Containers",
    "Kyverno-disallow-host-namespaces": "Disallow Host Namespaces",
    "Kyverno-disallow-host-path": "Disallow hostPath",
    "Kyverno-disallow-host-ports": "Disallow hostPorts",
    "Kyverno-disallow-privilege-escalation": "Disallow Privilege Escalation",
    "Kyverno-require-run-as-nonroot": "Require runAsNonRoot",
    "Kyverno-require-drop-all": "Drop All Capabilities",
    "Kyverno-restrict-seccomp": "Restrict Seccomp",
    "Kyverno-restrict-apparmor-profiles": "Restrict AppArmor",
    "Kyverno-require-ro-rootfs": "Require Read-Only Root Filesystem",
    "Kyverno-require-pod-requests-limits": "Require Limits and Requests",
    "Kyverno-require-pod-probes": "Require Pod Probes",
} as const satisfies Record<`${Checklist}-${string}`, string>;

export type ChecklistId = keyof typeof CHECKLIST_ITEMS;

/** What a guard declares besides its name, description and check. */
export interface GuardMetadata {
    readonly severity: Severity;
    readonly topics: readonly Topic[];
    /** Checklist items the guard implements; empty only with `uncatalogued`. */
    readonly checklist: readonly ChecklistId[];
    /** Why no checklist names what the guard enforces (set exactly when `checklist` is empty). */
    readonly uncatalogued?: string;
}

/** The checklist an item ID belongs to, and the item's number within it. */
export function checklistItem(id: ChecklistId): { readonly checklist: Checklist; readonly reference: string } {
    const checklist = (Object.keys(CHECKLISTS) as Checklist[]).find((prefix) => id.startsWith(`${prefix}-`))!;
    return { checklist, reference: id.slice(checklist.length + 1) };
}

/**
 * What of the metadata the policy runner accepts. `framework` holds one checklist: the guard's first, with the
 * numbers of every item of it the guard implements. The tags carry the topics, every item ID and the severity.
 * Severity itself is left unset: the CLI then prints "[mandatory] [severity: high]  name" as every violation's
 * heading instead of "[mandatory]  name", which users and the engine tests read.
 */
export function runnerMetadata(metadata: GuardMetadata): {
    tags: string[];
    framework?: PolicyComplianceFramework;
} {
    const tags = [...metadata.topics, ...metadata.checklist, `severity:${metadata.severity}`];
    if (metadata.checklist.length === 0) {
        return { tags };
    }
    const first = checklistItem(metadata.checklist[0]).checklist;
    const items = metadata.checklist.filter((id) => checklistItem(id).checklist === first);
    const { name, version } = CHECKLISTS[first];
    return {
        tags,
        framework: {
            name,
            version,
            reference: items.map((id) => checklistItem(id).reference).join(", "),
            specification: items.map((id) => CHECKLIST_ITEMS[id]).join("; "),
        },
    };
}
