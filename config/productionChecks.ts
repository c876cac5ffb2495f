import { imageReference } from "../components/schemas/image";
import { ONE_YEAR_SECONDS } from "../rules/securityHeaders";
import { APPLICATION_ENVIRONMENT_RULES, dataDirectoryOutsideCode } from "../rules/applicationEnvironment";
import { Finding } from "../rules/finding";
import { imageReferenceProblem } from "../rules/imageReference";
import { loopbackSiteNameFindings } from "../rules/siteName";
import { containerSettingFindings } from "./containerChecks";
import { plainCredentialFindings, privateKeyFindings, siteOf, workerEnvironmentFindings } from "./environmentChecks";
import type { StackConfig } from "./schema";
import { stepFindings } from "./stepChecks";

/**
 * The production guards applied to stack config before anything is registered. They call the same rule
 * functions as the policy pack, so a production stack is refused even when `pulumi up` runs without the pack.
 */
export function productionFindings(config: StackConfig, environment: Readonly<Record<string, string>>): Finding[] {
    const findings: Finding[] = [];
    const prefix = "webplatform:";

    for (const rule of Object.values(APPLICATION_ENVIRONMENT_RULES)) {
        for (const finding of rule(environment, siteOf(config))) {
            findings.push({ ...finding, key: `${prefix}backend.env.${finding.key}` });
        }
    }
    findings.push(...workerEnvironmentFindings(config, findings));
    findings.push(...privateKeyFindings(config));
    // A plain credential is reported only on a key without another finding: its fix (move it to secretEnv) would
    // keep the value the other finding refuses, so that one is fixed first.
    const faulted = new Set(findings.map((finding) => finding.key.replace(/\[.*$/, "")));
    findings.push(...plainCredentialFindings(config).filter((finding) => !faulted.has(finding.key)));
    for (const finding of dataDirectoryOutsideCode(
        environment,
        config.backend.dataDirectory ? [config.backend.dataDirectory] : [],
    )) {
        findings.push({ ...finding, key: `${prefix}backend.dataDirectory` });
    }

    const images = {
        backend: config.backend.image,
        postgres: config.postgres.image,
        redis: config.redis.image,
        nginx: config.nginx.image,
        // The backup runs the database's image unless it names its own, which must be pinned as well.
        ...(config.backup?.image === undefined ? {} : { backup: config.backup.image }),
    };
    for (const [service, image] of Object.entries(images)) {
        const key = `${service}.image`;
        const reference = imageReference(image);
        const problem = imageReferenceProblem(reference);
        if (problem) {
            findings.push({
                key: `${prefix}${key}`,
                problem: `"${reference}" ${problem}.`,
                fix: "pin the image by digest (name@sha256:...) or an immutable version tag.",
            });
        }
    }

    findings.push(
        ...loopbackSiteNameFindings(
            `${prefix}domain`,
            [config.domain],
            "set domain to the public host name the site is served at, e.g. app.example.com.",
        ),
    );
    if (config.nginx.certificatePem === undefined) {
        findings.push({
            key: `${prefix}nginx.certificatePem`,
            problem: "is not set, so nginx would serve a self-signed certificate that browsers reject.",
            fix: "set the certificate chain with `pulumi config set --path nginx.certificatePem` and its key as the secret tlsPrivateKey.",
        });
    }
    const hsts = config.nginx.hstsMaxAgeSeconds;
    if (hsts < ONE_YEAR_SECONDS) {
        findings.push({
            key: `${prefix}nginx.hstsMaxAgeSeconds`,
            problem: `is ${hsts}, shorter than a year.`,
            fix: `set it to at least ${ONE_YEAR_SECONDS} or leave it unset.`,
        });
    }
    for (const service of ["postgres", "redis"] as const) {
        if (config[service].allowDataDeletion) {
            findings.push({
                key: `${prefix}${service}.allowDataDeletion`,
                problem: "lets `pulumi destroy` delete production data.",
                fix: "remove allowDataDeletion from the production stack.",
            });
        }
    }
    if (config.dockerHost?.startsWith("tcp://")) {
        findings.push({
            key: `${prefix}dockerHost`,
            problem: "reaches the Docker engine over unauthenticated TCP.",
            fix: "use ssh://user@host (key authentication) instead.",
        });
    }
    findings.push(...stepFindings(config, new Set(findings.map((finding) => finding.key))));
    findings.push(...containerSettingFindings(config));
    return findings;
}
