/** The Docker engine addresses this library understands, taken apart. */
export type DockerHostAddress =
    | {
          readonly scheme: "ssh";
          /** Login user; unset means ssh's own default (the local user name or ~/.ssh/config). */
          readonly user?: string;
          readonly hostName: string;
          readonly port?: string;
          /** Engine socket on the host, when the address has a path (ssh://user@host/run/docker.sock). */
          readonly socketPath?: string;
      }
    | { readonly scheme: "unix" | "tcp" };

/**
 * Takes a Docker host address apart the way the docker CLI's SSH helper does (user, host, port and optional
 * socket path; no password, query or fragment). Throws a message naming the address when it is not one.
 */
export function parseDockerHost(host: string): DockerHostAddress {
    let url: URL;
    try {
        url = new URL(host);
    } catch {
        throw new Error(`docker host ${host} is not an address. Fix: use ssh://user@host[:port] or unix:///path.`);
    }
    if (url.protocol === "unix:" || url.protocol === "tcp:") {
        return { scheme: url.protocol === "unix:" ? "unix" : "tcp" };
    }
    if (url.protocol !== "ssh:") {
        throw new Error(`docker host ${host}: unsupported scheme. Fix: use ssh://user@host[:port] or unix:///path.`);
    }
    if (url.password !== "" || url.search !== "" || url.hash !== "" || url.hostname === "") {
        throw new Error(
            `docker host ${host}: an ssh:// address takes only a user, a host, a port and a socket path. Fix: put keys and options in webplatform:dockerSshOptions.`,
        );
    }
    const path = url.pathname.replace(/^\/+$/, "");
    return {
        scheme: "ssh",
        user: url.username === "" ? undefined : decodeURIComponent(url.username),
        hostName: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port === "" ? undefined : url.port,
        socketPath: path === "" ? undefined : path,
    };
}
