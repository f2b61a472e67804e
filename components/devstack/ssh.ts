/** How the CI job's ssh reaches the DevStack machines: its key, and only their pinned host keys. */
import { quote } from "./shell";

/** The files ssh trusts and logs in with, both in the stack's folder (0600). */
export interface SshTrust {
    /** The login's private key. */
    keyFile: string;
    /** The machines' host keys, pinned when they were generated (knownHostsLines). */
    knownHostsFile: string;
}

/**
 * A path as an ssh option value: double-quoted against ssh's own splitting of option values at
 * whitespace, and '%' doubled against its token expansion (ssh_config(5), TOKENS).
 */
function sshPath(file: string): string {
    return `"${file.replace(/[\\"]/g, "\\$&").replace(/%/g, "%%")}"`;
}

/**
 * ssh to a machine, as one bash-quoted command line without the destination: the login key
 * only, and the host keys of the stack's known_hosts only (StrictHostKeyChecking=yes: a key
 * not pinned there, or none, is refused; nothing is added to it).
 */
export function sshCommand(trust: SshTrust, options: string[] = []): string {
    const all = [
        `IdentityFile=${sshPath(trust.keyFile)}`,
        "IdentitiesOnly=yes",
        "StrictHostKeyChecking=yes",
        `UserKnownHostsFile=${sshPath(trust.knownHostsFile)}`,
        "GlobalKnownHostsFile=/dev/null",
        "UpdateHostKeys=no",
        ...options,
    ];
    return ["ssh", ...all.flatMap((o) => ["-o", o])].map(quote).join(" ");
}

/** known_hosts lines pinning each machine's host key (`ssh-ed25519 AAAA... comment`) at its address. */
export function knownHostsLines(hosts: { address: string; hostKey: string }[]): string {
    return hosts.map((h) => `${h.address} ${h.hostKey}\n`).join("");
}
