import { DockerHostProblem } from "../../components/dockerHostDiagnosis";

/** Recorded ssh and docker failures, shared by the diagnosis, the preflight step and the in-program check tests. */
export const HOST = "ssh://deploy@203.0.113.10";
export const KEY = ["-i", "/keys/deploy"];
export const CHECK = `ssh -o BatchMode=yes -o ConnectTimeout=5 -l deploy -i /keys/deploy -- 203.0.113.10 'docker version --format "{{.Server.Version}}"'`;
export const UNREACHABLE_FIX =
    "Fix: check the host name and port 22, that sshd runs on the host, and that no firewall blocks SSH from this machine.";
export const ENGINE_FIX =
    "Docker engine not running (or user not in the docker group). Fix: start Docker on the host (sudo systemctl start docker) and add deploy to the docker group (sudo usermod -aG docker deploy, then log in again).";

/** [case, host, exit code, what ssh and docker printed, problem, the one line the user reads]. */
export const FAILURES: [string, string, number, string, DockerHostProblem, string][] = [
    [
        "a rejected key (the seed's failure)",
        HOST,
        255,
        "deploy@203.0.113.10: Permission denied (publickey).\n",
        "sshKeyRejected",
        "docker host ssh://deploy@203.0.113.10: SSH key rejected. Fix: add the public key to ~deploy/.ssh/authorized_keys on the host, or set webplatform:dockerSshOptions to the right -i key.",
    ],
    [
        "a rejected key after a known-hosts warning, password auth also offered, no user in the address",
        "ssh://203.0.113.10",
        255,
        "Warning: Permanently added '203.0.113.10' (ED25519) to the list of known hosts.\nroot@203.0.113.10: Permission denied (publickey,password).\n",
        "sshKeyRejected",
        "docker host ssh://203.0.113.10: SSH key rejected. Fix: add the public key to the SSH user's ~/.ssh/authorized_keys on the host, or set webplatform:dockerSshOptions to the right -i key.",
    ],
    [
        "an unknown host key in batch mode",
        "ssh://deploy@203.0.113.10:2222",
        255,
        "Host key verification failed.\n",
        "hostKeyNotTrusted",
        "docker host ssh://deploy@203.0.113.10:2222: SSH host key unknown or changed. Fix: check the host's key fingerprint, then add it with ssh-keyscan -p 2222 203.0.113.10 >> ~/.ssh/known_hosts, or set webplatform:dockerSshOptions to -o UserKnownHostsFile=<a file with the key>.",
    ],
    [
        "a closed port",
        HOST,
        255,
        "ssh: connect to host 203.0.113.10 port 22: Connection refused\n",
        "unreachable",
        `docker host ssh://deploy@203.0.113.10: unreachable (connection refused). ${UNREACHABLE_FIX}`,
    ],
    [
        "a silent firewall",
        HOST,
        255,
        "ssh: connect to host 203.0.113.10 port 22: Connection timed out\n",
        "unreachable",
        `docker host ssh://deploy@203.0.113.10: unreachable (connection timed out). ${UNREACHABLE_FIX}`,
    ],
    [
        "no route",
        HOST,
        255,
        "ssh: connect to host 203.0.113.10 port 22: No route to host\n",
        "unreachable",
        `docker host ssh://deploy@203.0.113.10: unreachable (no route to host). ${UNREACHABLE_FIX}`,
    ],
    [
        "a host name that does not resolve",
        "ssh://deploy@app.example.invalid",
        255,
        "ssh: Could not resolve hostname app.example.invalid: Name or service not known\n",
        "unreachable",
        "docker host ssh://deploy@app.example.invalid: unreachable (host name does not resolve). Fix: check the host name and port 22, that sshd runs on the host, and that no firewall blocks SSH from this machine.",
    ],
    [
        "a connection dropped before login (fail2ban, MaxStartups)",
        HOST,
        255,
        "kex_exchange_identification: read: Connection reset by peer\nConnection reset by 203.0.113.10 port 22\n",
        "unreachable",
        `docker host ssh://deploy@203.0.113.10: unreachable (connection closed before login). ${UNREACHABLE_FIX}`,
    ],
    [
        "a stopped engine",
        HOST,
        1,
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
        "engineUnavailable",
        `docker host ssh://deploy@203.0.113.10: ${ENGINE_FIX}`,
    ],
    [
        "a user outside the docker group",
        HOST,
        1,
        'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.47/version": dial unix /var/run/docker.sock: connect: permission denied\n',
        "engineUnavailable",
        `docker host ssh://deploy@203.0.113.10: ${ENGINE_FIX}`,
    ],
    [
        "no docker on the host (bash)",
        HOST,
        127,
        "bash: line 1: docker: command not found\n",
        "dockerMissing",
        "docker host ssh://deploy@203.0.113.10: no docker command on the host. Fix: install Docker Engine on the host, with docker on the PATH of non-interactive SSH sessions.",
    ],
    [
        "no docker on the host (zsh)",
        HOST,
        127,
        "zsh:1: command not found: docker\n",
        "dockerMissing",
        "docker host ssh://deploy@203.0.113.10: no docker command on the host. Fix: install Docker Engine on the host, with docker on the PATH of non-interactive SSH sessions.",
    ],
    [
        "no ssh client here",
        HOST,
        127,
        "sh: 1: ssh: not found\n",
        "sshMissing",
        "docker host ssh://deploy@203.0.113.10: no ssh client on this machine. Fix: install OpenSSH's client (apt-get install openssh-client) where pulumi runs.",
    ],
    [
        "a remote command that prints ssh-like text but exits 1 is not a rejected key",
        HOST,
        1,
        "Permission denied (publickey) in some script\n",
        "unknown",
        `docker host ssh://deploy@203.0.113.10: preflight failed (exit 1: Permission denied (publickey) in some script). Fix: run this command by hand to see why: ${CHECK}`,
    ],
    [
        "an account without a shell",
        HOST,
        1,
        "This account is currently not available.\n",
        "unknown",
        `docker host ssh://deploy@203.0.113.10: preflight failed (exit 1: This account is currently not available.). Fix: run this command by hand to see why: ${CHECK}`,
    ],
    [
        "a failure that printed nothing",
        HOST,
        3,
        "",
        "unknown",
        `docker host ssh://deploy@203.0.113.10: preflight failed (exit 3: no output). Fix: run this command by hand to see why: ${CHECK}`,
    ],
    [
        "a stopped local engine",
        "unix:///var/run/docker.sock",
        1,
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
        "engineUnavailable",
        "docker host unix:///var/run/docker.sock: Docker engine not running (or user not in the docker group). Fix: start Docker (sudo systemctl start docker) and add your user to the docker group (sudo usermod -aG docker $USER, then log in again).",
    ],
];
