import { shellCommand, shellQuote } from "./shell";

/**
 * Shell lines that make the docker CLI use the stack's ssh options. The CLI reaches an ssh:// DOCKER_HOST by
 * running `ssh` from PATH with no way to pass options (unlike the Docker provider's sshOpts), so these lines put
 * a throwaway `ssh` first on PATH that runs the real one with the options, and remove it when the shell exits.
 * Put them before a Command's script when DOCKER_HOST is ssh://; with no options they are empty.
 */
export function dockerCliSshShim(sshOptions: readonly string[]): string {
    if (sshOptions.length === 0) {
        return "";
    }
    return [
        "webplatform_ssh=$(command -v ssh) || { echo 'no ssh client on this machine' >&2; exit 1; }",
        "webplatform_ssh_shim=$(mktemp -d) || exit 1",
        `trap 'rm -rf "$webplatform_ssh_shim"' EXIT`,
        `printf '#!/bin/sh\\nexec "%s" %s "$@"\\n' "$webplatform_ssh" ${shellQuote(shellCommand(sshOptions))} > "$webplatform_ssh_shim/ssh" || exit 1`,
        `chmod 700 "$webplatform_ssh_shim/ssh" || exit 1`,
        `PATH="$webplatform_ssh_shim:$PATH"`,
        "export PATH",
        "",
    ].join("\n");
}
