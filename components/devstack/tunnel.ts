/** The sshuttle tunnel that routes the DevStack's private and floating networks through the controller. */
export interface TunnelSpec {
    /** user@host of the controller. */
    remote: string;
    /** Private key file (0600) for ssh. */
    keyFile: string;
    pidFile: string;
    /** CIDRs routed over the tunnel. */
    routes: string[];
    /** The sshuttle version required; an unpinned sshuttle once hung CAPO's runs for hours. */
    version: string;
    /** Attempts to connect while the controller boots, and the pause between them. */
    attempts: number;
    retrySeconds: number;
}

function quote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Starts sshuttle as a daemon with a pidfile, after checking it is the pinned version. */
export function sshuttleStartScript(t: TunnelSpec): string {
    const ssh = [
        "ssh",
        `-i ${t.keyFile}`,
        "-o StrictHostKeyChecking=no",
        "-o UserKnownHostsFile=/dev/null",
        "-o ServerAliveInterval=30",
    ].join(" ");
    return [
        "set -euo pipefail",
        `want=${quote(t.version)}`,
        `have=$(sshuttle --version 2>&1 || true)`,
        `if [ "$have" != "$want" ]; then echo "sshuttle is $have, not the pinned $want" >&2; exit 1; fi`,
        `for attempt in $(seq 1 ${t.attempts}); do`,
        `    if sshuttle --daemon --pidfile ${quote(t.pidFile)} --listen 0.0.0.0 --remote ${quote(t.remote)} --ssh-cmd ${quote(ssh)} ${t.routes.map(quote).join(" ")}; then`,
        "        exit 0",
        "    fi",
        `    sleep ${t.retrySeconds}`,
        "done",
        `echo "sshuttle could not reach ${t.remote} in ${t.attempts} attempts" >&2`,
        "exit 1",
    ].join("\n");
}

/** Stops the daemon named by the pidfile, if any, and waits for it to exit. */
export function sshuttleStopScript(t: Pick<TunnelSpec, "pidFile">): string {
    const pidFile = quote(t.pidFile);
    return [
        `if [ -f ${pidFile} ]; then`,
        `    pid=$(cat ${pidFile})`,
        '    kill "$pid" 2>/dev/null || true',
        '    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done',
        `    rm -f ${pidFile}`,
        "fi",
    ].join("\n");
}
