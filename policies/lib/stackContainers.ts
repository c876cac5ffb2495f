import { ContainerIdentity, identifyContainer } from "../rules/containerRole";
import { knownString } from "../rules/unknownValue";
import { StackResource, TYPES } from "./guard";

/**
 * Identity of a container within the stack: an engine image ID is resolved to the RemoteImage it came from (by the
 * image's imageId output, or by the property dependency of `image`), so unlabelled databases are recognised too.
 */
export function stackContainerIdentity(
    container: StackResource,
    resources: readonly StackResource[],
): ContainerIdentity | undefined {
    return identifyContainer(container.props, imageNameOf(container, resources));
}

/** The RemoteImages a container's `image` comes from. */
export function imageSources(container: StackResource, resources: readonly StackResource[]): StackResource[] {
    const image = knownString(container.props.image);
    const byOutput = image
        ? resources.filter((resource) => resource.type === TYPES.remoteImage && resource.props.imageId === image)
        : [];
    const byDependency = (container.propertyDependencies.image ?? []).filter(
        (resource) => resource.type === TYPES.remoteImage,
    );
    return [...new Set([...byOutput, ...byDependency])];
}

function imageNameOf(container: StackResource, resources: readonly StackResource[]): string | undefined {
    const names = imageSources(container, resources)
        .map((source) => knownString(source.props.name))
        .filter((name): name is string => name !== undefined);
    return names.length === 1 ? names[0] : undefined;
}

export function containersOf(resources: readonly StackResource[]): StackResource[] {
    return resources.filter((resource) => resource.type === TYPES.container);
}
