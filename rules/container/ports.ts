/** Which host addresses a container publishes on. */
import { Props } from "../containerProps";
import { Finding } from "../finding";
import { isLoopbackAddress } from "../loopback";
import { isUnknown, knownArray, knownObject, knownString } from "../unknownValue";

/** True when a published port binds the loopback interface only (the good case; 0.0.0.0 and :: are all addresses). */
export function isLoopback(address: string): boolean {
    return isLoopbackAddress(address);
}

const DATASTORE_PORT_FIX =
    'remove the port (the application reaches the service over the private network) or publish it on "127.0.0.1" only.';

/** Published ports on any address but loopback; `fix` says what to do instead (the datastore advice by default). */
export function portsOnLoopbackOnly(props: Props, fix: string = DATASTORE_PORT_FIX): Finding[] {
    const findings: Finding[] = [];
    if (props.publishAllPorts === true) {
        findings.push({
            key: "publishAllPorts",
            problem: "publishes every exposed port on all host addresses.",
            fix: "remove publishAllPorts; publish a port only on 127.0.0.1 when a local tool needs it.",
        });
    }
    (knownArray(props.ports) ?? []).forEach((entry, index) => {
        const port = knownObject(entry);
        if (!port || isUnknown(port.ip) || isUnknown(port.external)) {
            return;
        }
        const ip = knownString(port.ip) ?? "0.0.0.0";
        if (!isLoopback(ip)) {
            findings.push({
                key: `ports[${index}].ip`,
                problem: `publishes container port ${String(port.internal)} on ${ip}, reachable from outside the host.`,
                fix,
            });
        }
    });
    return findings;
}
