/**
 * Mozilla's "intermediate" server-side TLS configuration (guideline v6): TLS 1.2 with forward-secret AEAD suites
 * only, and TLS 1.3 with OpenSSL's default suites (all of them AEAD and forward-secret). Session tickets are off, so
 * a stolen ticket key cannot decrypt recorded sessions; resumption uses the server-side session cache instead.
 */

export const TLS_PROTOCOLS: readonly string[] = ["TLSv1.2", "TLSv1.3"];

/** TLS 1.2 suites: ECDHE key exchange with AES-GCM or ChaCha20-Poly1305, ECDSA and RSA certificates. */
export const TLS12_CIPHERS: readonly string[] = [
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
];

/** Key exchange groups, strongest-first as Mozilla lists them. */
export const TLS_CURVES: readonly string[] = ["X25519", "prime256v1", "secp384r1"];

/** The TLS 1.2 suites of an OpenSSL cipher list that are not forward-secret AEAD suites (not ECDHE with GCM/ChaCha). */
export function weakTls12Ciphers(cipherList: readonly string[]): string[] {
    return cipherList.filter(
        (cipher) => !/^ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/.test(cipher),
    );
}

/** Protocols older than TLS 1.2 in an nginx ssl_protocols list. */
export function weakTlsProtocols(protocols: readonly string[]): string[] {
    return protocols.filter((protocol) => !TLS_PROTOCOLS.includes(protocol));
}
