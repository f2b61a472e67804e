/**
 * The CI job's ssh to the DevStack machines, against a real sshd serving a host key made as the
 * stack makes the machines': the pinned key is accepted, any other (or none) refused, and the
 * stack's files, wherever they are, reach ssh as they are.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { knownHostsLines, sshCommand, SshTrust } from "../../../components/devstack/ssh";
import { quote } from "../../../components/devstack/shell";
import { newEd25519KeyPair, newKeyPair } from "../../../providers/credentials/sshkey";

const SSHD = ["/usr/sbin/sshd", "/usr/bin/sshd"].find((p) => fs.existsSync(p));
/** sshd, run as root, needs its privilege-separation folder (Debian's unit makes it at start). */
const PRIVSEP = "/run/sshd";

let dir: string;
/** sshd's own files: its configuration takes plain paths. */
let sshdDir: string;
let port: number;
let sshd: childProcess.ChildProcess;
let trust: SshTrust;
let hostKey: string;
let madePrivsep = false;
const user = os.userInfo().username;

function freePort(): Promise<number> {
    return new Promise((resolve) => {
        const server = net.createServer().listen(0, "127.0.0.1", () => {
            const { port: p } = server.address() as net.AddressInfo;
            server.close(() => resolve(p));
        });
    });
}

/** Runs the stack's ssh command line through bash, as the tunnel and log scripts do. */
function ssh(options: string[] = []) {
    const command = `${sshCommand(trust, ["BatchMode=yes", `Port=${port}`, ...options])} ${quote(`${user}@127.0.0.1`)} echo logged-in`;
    return childProcess.spawnSync("bash", ["-c", command], { cwd: dir, encoding: "utf8" });
}

beforeAll(async () => {
    if (!SSHD) {
        throw new Error("these tests run a real sshd: install openssh-server");
    }
    // Quotes, a space, ssh's '%' tokens and shell syntax: every path must reach ssh as it is.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `ssh-it's "pinned" %h $(touch pwned)-`));
    sshdDir = fs.mkdtempSync(path.join(os.tmpdir(), "sshd-"));
    port = await freePort();
    const host = newEd25519KeyPair("root@capo-e2e-controller");
    hostKey = host.publicKey;
    const login = newKeyPair("cloud@capo-e2e");
    const file = (name: string, content: string, inDir = dir) => {
        fs.writeFileSync(path.join(inDir, name), content, { mode: 0o600 });
        return path.join(inDir, name);
    };
    trust = {
        keyFile: file("id_rsa", login.privateKeyPem),
        knownHostsFile: file(
            "known_hosts",
            knownHostsLines([{ address: `[127.0.0.1]:${port}`, hostKey }]),
        ),
    };
    const config = file(
        "sshd_config",
        [
            `Port ${port}`,
            "ListenAddress 127.0.0.1",
            `HostKey ${file("ssh_host_ed25519_key", host.privateKey, sshdDir)}`,
            `AuthorizedKeysFile ${file("authorized_keys", `${login.publicKey}\n`, sshdDir)}`,
            `PidFile ${path.join(sshdDir, "sshd.pid")}`,
            "UsePAM no",
            "StrictModes no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "",
        ].join("\n"),
        sshdDir,
    );
    if (process.getuid?.() === 0 && !fs.existsSync(PRIVSEP)) {
        fs.mkdirSync(PRIVSEP, { mode: 0o755 });
        madePrivsep = true;
    }
    const log = fs.openSync(path.join(sshdDir, "sshd.log"), "w");
    sshd = childProcess.spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", log, log] });
    fs.closeSync(log);
    const deadline = Date.now() + 10_000;
    while (!(await accepts(port))) {
        if (Date.now() > deadline || sshd.exitCode !== null) {
            const log = fs.readFileSync(path.join(sshdDir, "sshd.log"), "utf8");
            throw new Error(`sshd did not start (exit ${sshd.exitCode}): ${log}`);
        }
        await new Promise((r) => setTimeout(r, 50));
    }
});

afterAll(async () => {
    if (sshd && sshd.exitCode === null) {
        const exited = new Promise((r) => sshd.once("exit", r));
        sshd.kill();
        await exited;
    }
    if (madePrivsep) {
        fs.rmdirSync(PRIVSEP);
    }
    for (const d of [dir, sshdDir].filter(Boolean)) {
        fs.rmSync(d, { recursive: true, force: true });
    }
});

function accepts(p: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect({ host: "127.0.0.1", port: p });
        socket.once("connect", () => socket.destroy() && resolve(true));
        socket.once("error", () => resolve(false));
    });
}

describe("ssh to a DevStack machine", () => {
    it("logs in when the machine presents the host key pinned in the stack's known_hosts", () => {
        const result = ssh();
        expect([result.status, result.stdout, result.stderr]).toEqual([0, "logged-in\n", ""]);
        expect(fs.existsSync(path.join(path.dirname(dir), "pwned"))).toBe(false);
        expect(fs.existsSync("pwned")).toBe(false);
    });

    it("refuses a machine whose host key is not the pinned one, changing nothing", () => {
        const other = newEd25519KeyPair("root@impostor").publicKey;
        const pinned = knownHostsLines([{ address: `[127.0.0.1]:${port}`, hostKey: other }]);
        fs.writeFileSync(trust.knownHostsFile, pinned);
        try {
            const result = ssh();
            expect(result.status).toBe(255);
            expect(result.stdout).toBe("");
            expect(result.stderr).toMatch(
                /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/,
            );
            expect(fs.readFileSync(trust.knownHostsFile, "utf8")).toBe(pinned);
        } finally {
            fs.writeFileSync(
                trust.knownHostsFile,
                knownHostsLines([{ address: `[127.0.0.1]:${port}`, hostKey }]),
            );
        }
    });

    it("refuses a machine with no pinned key, and pins none", () => {
        fs.writeFileSync(trust.knownHostsFile, "");
        try {
            const result = ssh();
            expect(result.status).toBe(255);
            expect(result.stderr).toMatch(/Host key verification failed/);
            expect(fs.readFileSync(trust.knownHostsFile, "utf8")).toBe("");
        } finally {
            fs.writeFileSync(
                trust.knownHostsFile,
                knownHostsLines([{ address: `[127.0.0.1]:${port}`, hostKey }]),
            );
        }
    });

    it("reads the stack's files, as ssh resolves its options, and no other", () => {
        const command = `${sshCommand(trust)} -G ${quote(`${user}@127.0.0.1`)}`;
        const config = childProcess.execFileSync("bash", ["-c", command], { encoding: "utf8" });
        const option = (key: string) =>
            config
                .split("\n")
                .filter((l) => l.startsWith(`${key} `))
                .map((l) => l.slice(key.length + 1));
        expect(option("userknownhostsfile")).toEqual([trust.knownHostsFile]);
        expect(option("globalknownhostsfile")).toEqual(["/dev/null"]);
        expect(option("stricthostkeychecking")).toEqual(["true"]);
        expect(option("identitiesonly")).toEqual(["yes"]);
        expect(option("updatehostkeys")).toEqual(["false"]);
    });
});
