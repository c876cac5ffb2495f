import { ContainerIdentity, ContainerRole, identifyContainer, labelledRole } from "../../rules/containerRole";
import { GuardedResource } from "./guard";

/** Identity of a container resource (undefined while its labels are unknown). */
export function containerIdentity(resource: GuardedResource): ContainerIdentity | undefined {
    return identifyContainer(resource.props);
}

/**
 * The role alone, the same as containerIdentity's, which is all most guards need: a role label settles it without
 * reading the image, the command lines or the mounts.
 */
export function containerRole(resource: GuardedResource): ContainerRole | undefined {
    return labelledRole(resource.props) ?? containerIdentity(resource)?.role;
}
