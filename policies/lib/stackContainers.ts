import { ContainerIdentity, ContainerRole, identifyContainer, labelledRole } from "../../rules/containerRole";
import { knownString } from "../../rules/unknownValue";
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

/**
 * RemoteImages by their imageId output, in stack order, built once per stack: looking them up by scanning the whole
 * stack for every container made the stack policies quadratic. The stack's resource list is not changed while a
 * policy checks it, so the index stays valid for as long as the list is in use.
 */
const remoteImagesByIdOf = new WeakMap<readonly StackResource[], ReadonlyMap<string, readonly StackResource[]>>();

function remoteImagesById(resources: readonly StackResource[]): ReadonlyMap<string, readonly StackResource[]> {
    let index = remoteImagesByIdOf.get(resources);
    if (index === undefined) {
        const built = new Map<string, StackResource[]>();
        for (const resource of resources) {
            const imageId = resource.props.imageId;
            if (resource.type === TYPES.remoteImage && typeof imageId === "string") {
                const list = built.get(imageId);
                if (list === undefined) {
                    built.set(imageId, [resource]);
                } else {
                    list.push(resource);
                }
            }
        }
        index = built;
        remoteImagesByIdOf.set(resources, index);
    }
    return index;
}

/**
 * The role alone, the same as stackContainerIdentity's, which is all the stack guards need: a role label settles it
 * without resolving the image.
 */
export function stackContainerRole(
    container: StackResource,
    resources: readonly StackResource[],
): ContainerRole | undefined {
    return labelledRole(container.props) ?? stackContainerIdentity(container, resources)?.role;
}

/** The RemoteImages a container's `image` comes from. */
export function imageSources(container: StackResource, resources: readonly StackResource[]): StackResource[] {
    const image = knownString(container.props.image);
    const byOutput = image ? (remoteImagesById(resources).get(image) ?? []) : [];
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
