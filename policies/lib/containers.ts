import { ContainerIdentity, identifyContainer } from "../rules/containerRole";
import { GuardedResource } from "./guard";

/** Identity of a container resource (undefined while its labels are unknown). */
export function containerIdentity(resource: GuardedResource): ContainerIdentity | undefined {
    return identifyContainer(resource.props);
}
