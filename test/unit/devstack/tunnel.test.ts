import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sshCommand } from "../../../components/devstack/ssh";
import {
    sshuttleStartScript,
    sshuttleStopScript,
    TunnelSpec,
} from "../../../components/devstack/tunnel";

/**
 * A stand-in sshuttle on PATH: reports a version, records its arguments, and daemonizes a sleeper
 * whose command line, like the real daemon's, has `--pidfile <pidfile>`. Like the real daemon, it
 * writes the pidfile after the parent has returned ($FAKE_PID_DELAY later; never when "never").
 */
const FAKE_SSHUTTLE = `#!/bin/bash
if [ "$1" = "--version" ]; then echo "$FAKE_VERSION"; exit 0; fi
printf '%s\\n' "$*" >> "$FAKE_LOG"
printf '%s\\0' "$@" > "$FAKE_ARGV"
if [ "$(wc -l < "$FAKE_LOG")" -le "$FAKE_FAILURES" ]; then exit 1; fi
while [ $# -gt 0 ]; do case "$1" in --pidfile) pidfile=$2; shift 2 ;; *) shift ;; esac; done
(exec -a "sshuttle --pidfile $pidfile" sleep 300) </dev/null >/dev/null 2>&1 &
daemon=$!
echo $daemon >> "$FAKE_DAEMONS"
[ "$FAKE_PID_DELAY" = never ] && exit 0
(sleep "$FAKE_PID_DELAY"; echo $daemon > "$pidfile") </dev/null >/dev/null 2>&1 &
`;

let dir: string;
let spec: TunnelSpec;
const daemonsFile = () => path.join(dir, "daemons");

beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tunnel-"));
    fs.mkdirSync(path.join(dir, "bin"));
    fs.writeFileSync(path.join(dir, "bin", "sshuttle"), FAKE_SSHUTTLE, { mode: 0o755 });
    spec = {
        remote: "cloud@34.86.1.2",
        // Paths a shell, sshuttle's split or ssh would misread unquoted.
        keyFile: path.join(dir, `it's "a" %h $(x)`, "id_rsa"),
        knownHostsFile: path.join(dir, `it's "a" %h $(x)`, "known_hosts"),
        pidFile: path.join(dir, "sshuttle.pid"),
        routes: ["10.0.3.0/24", "172.24.4.0/24"],
        version: "1.1.1",
        attempts: 3,
        retrySeconds: 0,
        pidFileWaitSeconds: 2,
    };
});

afterEach(() => {
    run(sshuttleStopScript(spec));
    // Daemons the stop script could not find (none wrote its pid).
    if (fs.existsSync(daemonsFile())) {
        fs.readFileSync(daemonsFile(), "utf8")
            .trim()
            .split("\n")
            .map(Number)
            .filter(alive)
            .forEach((pid) => process.kill(pid));
    }
    fs.rmSync(dir, { recursive: true, force: true });
});

/** A process that is not the tunnel's: a pid a stale pidfile may name. */
function stranger(): number {
    const out = run("sleep 300 </dev/null >/dev/null 2>&1 & echo $!");
    return Number(out.stdout.trim());
}

function run(script: string, env: Record<string, string> = {}) {
    return childProcess.spawnSync("bash", ["-c", script], {
        env: {
            PATH: `${dir}/bin:${process.env.PATH}`,
            FAKE_VERSION: "1.1.1",
            FAKE_LOG: path.join(dir, "calls.log"),
            FAKE_ARGV: path.join(dir, "argv"),
            FAKE_DAEMONS: daemonsFile(),
            FAKE_FAILURES: "0",
            FAKE_PID_DELAY: "0.5",
            ...env,
        },
        encoding: "utf8",
    });
}

const calls = () => fs.readFileSync(path.join(dir, "calls.log"), "utf8").trim().split("\n");
const alive = (pid: number) => {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
};

describe("the sshuttle tunnel", () => {
    it("starts a daemon with a pidfile, routing the private CIDR and the floating range", () => {
        const started = run(sshuttleStartScript(spec));
        expect(started.status).toBe(0);
        const pid = Number(fs.readFileSync(spec.pidFile, "utf8"));
        expect(alive(pid)).toBe(true);
        expect(started.stdout).toBe(`sshuttle pid ${pid}\n`);
        const [call] = calls();
        expect(call).toContain(
            `--daemon --pidfile ${spec.pidFile} --listen 127.0.0.1 --remote cloud@34.86.1.2`,
        );
        expect(call.endsWith("10.0.3.0/24 172.24.4.0/24")).toBe(true);
    });

    it("hands sshuttle the ssh command with the stack's key and known_hosts, as its split reads it", () => {
        expect(run(sshuttleStartScript(spec)).status).toBe(0);
        const argv = fs.readFileSync(path.join(dir, "argv"), "utf8").split("\0");
        const sshCmd = argv[argv.indexOf("--ssh-cmd") + 1];
        // sshuttle 1.1.1 (sshuttle/ssh.py) splits --ssh-cmd with shlex.split.
        const split = JSON.parse(
            childProcess.execFileSync(
                "python3",
                [
                    "-c",
                    "import json, shlex, sys; print(json.dumps(shlex.split(sys.argv[1])))",
                    sshCmd,
                ],
                { encoding: "utf8" },
            ),
        );
        // The words bash makes of the same command, which test/unit/devstack/ssh.test.ts runs.
        const words = run(`printf '%s\\0' ${sshCommand(spec, ["ServerAliveInterval=30"])}`)
            .stdout.split("\0")
            .slice(0, -1);
        expect(split).toEqual(words);
        expect(split).toEqual(
            expect.arrayContaining(["StrictHostKeyChecking=yes", "GlobalKnownHostsFile=/dev/null"]),
        );
        expect(split).toContain(
            `UserKnownHostsFile="${path.join(dir, `it's \\"a\\" %%h $(x)`, "known_hosts")}"`,
        );
    });

    it("fails clearly when the daemon writes no pid", () => {
        const result = run(sshuttleStartScript(spec), { FAKE_PID_DELAY: "never" });
        expect(result.status).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain(
            `sshuttle started but wrote no pid to ${spec.pidFile} in 2 s`,
        );
        expect(calls()).toHaveLength(1);
    });

    it("refuses an sshuttle that is not the pinned version", () => {
        const result = run(sshuttleStartScript(spec), { FAKE_VERSION: "1.1.2" });
        expect(result.status).toBe(1);
        expect(result.stderr).toContain("sshuttle is 1.1.2, not the pinned 1.1.1");
        expect(fs.existsSync(path.join(dir, "calls.log"))).toBe(false);
    });

    it("retries while the controller boots, and gives up after the last attempt", () => {
        expect(run(sshuttleStartScript(spec), { FAKE_FAILURES: "2" }).status).toBe(0);
        expect(calls()).toHaveLength(3);
        fs.rmSync(path.join(dir, "calls.log"));
        run(sshuttleStopScript(spec));
        const failed = run(sshuttleStartScript(spec), { FAKE_FAILURES: "3" });
        expect(failed.status).toBe(1);
        expect(failed.stderr).toContain("sshuttle could not reach cloud@34.86.1.2 in 3 attempts");
    });

    it("is stopped on destroy: the daemon ends and its pidfile goes", () => {
        run(sshuttleStartScript(spec));
        const pid = Number(fs.readFileSync(spec.pidFile, "utf8"));
        expect(run(sshuttleStopScript(spec)).status).toBe(0);
        expect(alive(pid)).toBe(false);
        expect(fs.existsSync(spec.pidFile)).toBe(false);
        expect(run(sshuttleStopScript(spec)).status).toBe(0); // nothing to stop
    });

    it("stops only the daemon it started (PULUMI_COMMAND_STDOUT), not whatever the pidfile names", () => {
        const started = run(sshuttleStartScript(spec));
        const ours = Number(fs.readFileSync(spec.pidFile, "utf8"));
        const other = stranger();
        try {
            fs.writeFileSync(spec.pidFile, String(other));
            const stop = run(sshuttleStopScript(spec), { PULUMI_COMMAND_STDOUT: started.stdout });
            expect(stop.status).toBe(0);
            expect(alive(ours)).toBe(false);
            expect(alive(other)).toBe(true);
            // A pidfile naming no sshuttle of this tunnel is stale: the next start would refuse it.
            expect(fs.existsSync(spec.pidFile)).toBe(false);
        } finally {
            process.kill(other);
        }
    });

    it("leaves alone a process that reused the pidfile's pid", () => {
        const other = stranger();
        try {
            fs.writeFileSync(spec.pidFile, String(other));
            expect(run(sshuttleStopScript(spec)).status).toBe(0);
            expect(alive(other)).toBe(true);
            expect(fs.existsSync(spec.pidFile)).toBe(false);
        } finally {
            process.kill(other);
        }
    });
});
