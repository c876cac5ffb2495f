/**
 * The contract between a container's health gate (components/healthGate.ts) and the pack's
 * dependency-waits-for-health guard: a command:local:Command whose environment carries this variable waits until
 * the container it depends on is healthy, and fails as soon as that container is known to be failing, so a
 * container with a gate may leave the provider's own `wait` off. The value names the container resource it gates.
 */
export const HEALTH_GATE_VARIABLE = "WEBPLATFORM_HEALTH_GATE";

/** True when a Command's props mark it as a health gate (HEALTH_GATE_VARIABLE in its environment). */
export function isHealthGate(props: Readonly<Record<string, unknown>>): boolean {
    const environment = props.environment;
    return (
        typeof environment === "object" &&
        environment !== null &&
        typeof (environment as Record<string, unknown>)[HEALTH_GATE_VARIABLE] === "string"
    );
}
