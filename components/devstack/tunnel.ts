import { quote, retryLines } from "./shell";
import { sshCommand, SshTrust } from "./ssh";

/** The sshuttle tunnel that routes the DevStack's private and floating networks through the controller. */
export interface TunnelSpec extends SshTrust {
    /** user@host of the controller. */
    remote: string;
    pidFile: string;
    /** CIDRs routed over the tunnel. */
    routes: string[];
    /** The sshuttle version required; an unpinned sshuttle once hung CAPO's runs for hours. */
    version: string;
    /** Attempts to connect while the controller boots, and the pause between them. */
    attempts: number;
    retrySeconds: number;
    /** How long to wait for the daemon to write its pidfile once sshuttle has returned. */
    pidFileWaitSeconds: number;
}

/** How the start script reports the daemon it started (its only stdout line). */
const PID_LINE = "sshuttle pid ";

/**
 * Starts sshuttle as a daemon with a pidfile, after checking it is the pinned version, waits for
 * the daemon to write the pidfile, and prints its pid, which reaches the stop script as
 * PULUMI_COMMAND_STDOUT. A daemon that writes no pid in time fails the start.
 */
export function sshuttleStartScript(t: TunnelSpec): string {
    // sshuttle splits --ssh-cmd as a shell would (shlex), so the command's quoting holds.
    const ssh = sshCommand(t, ["ServerAliveInterval=30"]);
    const pidFile = quote(t.pidFile);
    // On loopback only: the routes into the DevStack's networks serve this runner, no one else.
    const sshuttle = `sshuttle --daemon --pidfile ${pidFile} --listen 127.0.0.1 --remote ${quote(t.remote)} --ssh-cmd ${quote(ssh)} ${t.routes.map(quote).join(" ")}`;
    return [
        "set -euo pipefail",
        `want=${quote(t.version)}`,
        `have=$(sshuttle --version 2>&1 || true)`,
        `if [ "$have" != "$want" ]; then echo "sshuttle is $have, not the pinned $want" >&2; exit 1; fi`,
        // --daemon's parent exits before the daemon writes the pidfile.
        "started() {",
        `    for i in $(seq 1 ${t.pidFileWaitSeconds * 10}); do`,
        `        pid=$(cat ${pidFile} 2>/dev/null || true)`,
        `        if [ -n "$pid" ]; then echo "${PID_LINE}$pid"; return 0; fi`,
        "        sleep 0.1",
        "    done",
        `    echo ${quote(`sshuttle started but wrote no pid to ${t.pidFile} in ${t.pidFileWaitSeconds} s`)} >&2`,
        "    exit 1",
        "}",
        ...retryLines(
            `{ ${sshuttle} >&2 && started; }`,
            t.attempts,
            t.retrySeconds,
            `sshuttle could not reach ${t.remote} in ${t.attempts} attempts`,
        ),
    ].join("\n");
}

/**
 * Stops the daemon the start script reported (the pidfile's only when it reported none, as
 * before it did), and only if that process is an sshuttle with this pidfile: a pid reused by
 * another process is left alone. A pidfile naming no such sshuttle is stale and removed.
 */
export function sshuttleStopScript(t: Pick<TunnelSpec, "pidFile">): string {
    const pidFile = quote(t.pidFile);
    return [
        `ours() { [ -n "$1" ] && ps -o args= -p "$1" 2>/dev/null | grep -qF -- ${quote(`--pidfile ${t.pidFile}`)}; }`,
        `pid=$(printf '%s\\n' "\${PULUMI_COMMAND_STDOUT:-}" | sed -n 's/^${PID_LINE}//p' | tail -n 1)`,
        `[ -n "$pid" ] || pid=$(cat ${pidFile} 2>/dev/null || true)`,
        'if ours "$pid"; then',
        '    kill "$pid" 2>/dev/null || true',
        '    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done',
        "fi",
        `ours "$(cat ${pidFile} 2>/dev/null || true)" || rm -f ${pidFile}`,
    ].join("\n");
}
