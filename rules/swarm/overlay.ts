/** The overlay driver option that turns on IPsec encryption between nodes; its presence is what counts. */
export const OVERLAY_ENCRYPTED_OPTION = "encrypted";

/** Whether a network's driver options ask for encryption (Docker reads only the key). */
export function overlayEncrypted(options: Readonly<Record<string, unknown>> | undefined): boolean {
    return options !== undefined && Object.prototype.hasOwnProperty.call(options, OVERLAY_ENCRYPTED_OPTION);
}
