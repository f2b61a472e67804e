import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const SCRIPT = path.resolve(__dirname, "../../hack/validators");

/** The `command package` pairs hack/validators ensures. */
const PAIRS = childProcess
    .execFileSync(SCRIPT, ["--list"], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.split(" ") as [string, string]);

interface Machine {
    uid: number;
    /** Commands of PAIRS that are installed. */
    present: string[];
    sudo: boolean;
    /** Whether apt-get fails. */
    aptFails?: boolean;
    /** COMMAND:PACKAGE arguments, as hack/busy-up gives them. */
    args?: string[];
    /** Commands installed where Debian keeps PostgreSQL's, off PATH: <root>/15/bin. */
    postgresql?: string[];
}

/**
 * Runs hack/validators on a fake machine: a PATH holding only the present commands, `id`, and
 * an apt-get that installs the fake commands of the packages it is given. Returns what ran.
 */
function run(machine: Machine) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "validators-"));
    const bin = path.join(dir, "bin");
    const log = path.join(dir, "log");
    fs.mkdirSync(bin);
    const script = (name: string, body: string) =>
        fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
    try {
        fs.symlinkSync("/usr/bin/env", path.join(bin, "env"));
        script("id", `echo ${machine.uid}`);
        machine.present.forEach((command) => script(command, "true"));
        const postgresqlRoot = path.join(dir, "postgresql");
        for (const command of machine.postgresql ?? []) {
            fs.mkdirSync(path.join(postgresqlRoot, "15", "bin"), { recursive: true });
            fs.writeFileSync(path.join(postgresqlRoot, "15", "bin", command), "", { mode: 0o755 });
        }
        const given = (machine.args ?? []).map((a) => a.split(":") as [string, string]);
        const installs = [...PAIRS, ...given]
            .map(
                ([command, pkg]) =>
                    `[[ " $* " == *" ${pkg} "* ]] && printf '#!/bin/bash\\n' >"${bin}/${command}" && chmod +x "${bin}/${command}"`,
            )
            .join("\n");
        script(
            "apt-get",
            `echo "apt-get $* DEBIAN_FRONTEND=\${DEBIAN_FRONTEND:-}" >>"${log}"\n${machine.aptFails ? "exit 100" : ""}\n${installs}\nexit 0`,
        );
        if (machine.sudo) {
            script("sudo", `echo "sudo $*" >>"${log}"\n[ "$1" = -n ] && shift\nexec "$@"`);
        }
        const result = childProcess.spawnSync("/bin/bash", [SCRIPT, ...(machine.args ?? [])], {
            env: { PATH: bin, POSTGRESQL_ROOT: postgresqlRoot },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
        return {
            status: result.status,
            stderr: result.stderr,
            calls: fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [],
            installed: [...PAIRS, ...given]
                .filter(([command]) => fs.existsSync(path.join(bin, command)))
                .map(([, pkg]) => pkg),
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const ALL = PAIRS.map(([command]) => command);
const packages = PAIRS.map(([, pkg]) => pkg);
const without = (...commands: string[]) => ALL.filter((c) => !commands.includes(c));

describe("hack/validators, run by the test command before any test", () => {
    it("ensures cloud-init, whose schema the DevStack's tests validate against", () => {
        expect(PAIRS).toContainEqual(["cloud-init", "cloud-init"]);
        expect(PAIRS).toContainEqual(["ssh-keygen", "openssh-client"]);
    });

    it("ensures Debian's PostgreSQL, whose server the postgres:// backend's tests start", () => {
        expect(PAIRS).toContainEqual(["initdb", "postgresql"]);
    });

    it("finds PostgreSQL's server commands where Debian keeps them, off PATH", () => {
        const machine = { uid: 0, present: without("initdb"), sudo: false };
        expect(run({ ...machine, postgresql: ["initdb"] })).toMatchObject({ status: 0, calls: [] });
        expect(run(machine).calls).toContain(
            "apt-get install -y -qq --no-install-recommends postgresql DEBIAN_FRONTEND=noninteractive",
        );
    });

    it("does nothing when every validator is there", () => {
        expect(run({ uid: 1000, present: ALL, sudo: false })).toMatchObject({
            status: 0,
            stderr: "",
            calls: [],
        });
    });

    it("as root, installs the missing packages after apt-get update", () => {
        const result = run({ uid: 0, present: without("cloud-init", "ssh-keygen"), sudo: false });
        expect(result.status).toBe(0);
        expect(result.calls).toEqual([
            "apt-get update -qq DEBIAN_FRONTEND=",
            "apt-get install -y -qq --no-install-recommends cloud-init openssh-client DEBIAN_FRONTEND=noninteractive",
        ]);
        expect(result.installed.sort()).toEqual([...packages].sort());
    });

    it("as another user, installs them through sudo, never waiting for a password", () => {
        const result = run({ uid: 1000, present: without("cloud-init"), sudo: true });
        expect(result.status).toBe(0);
        expect(result.calls.filter((c) => c.startsWith("sudo"))).toEqual([
            "sudo -n apt-get update -qq",
            "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends cloud-init",
        ]);
    });

    it.each<[string, Omit<Machine, "present">]>([
        ["without root or sudo", { uid: 1000, sudo: false }],
        ["when apt-get fails", { uid: 0, sudo: false, aptFails: true }],
    ])("stops %s with one line naming the packages and how to install them", (_, machine) => {
        const result = run({ ...machine, present: without("cloud-init", "gpg") });
        expect(result.status).toBe(1);
        expect(result.stderr.trim().split("\n").pop()).toBe(
            "error: the tests need the Debian packages cloud-init gpg; install them as root with: apt-get update && apt-get install -y cloud-init gpg",
        );
        if (!machine.aptFails) {
            expect(result.stderr.trim().split("\n")).toHaveLength(1);
            expect(result.calls).toEqual([]);
        }
    });

    it("ensures the pairs it is given instead, as hack/busy-up's stress-ng", () => {
        const result = run({
            uid: 0,
            present: without("cloud-init"),
            sudo: false,
            args: ["stress-ng:stress-ng"],
        });
        expect(result.status).toBe(0);
        expect(result.calls).toEqual([
            "apt-get update -qq DEBIAN_FRONTEND=",
            "apt-get install -y -qq --no-install-recommends stress-ng DEBIAN_FRONTEND=noninteractive",
        ]);
        expect(result.installed).toContain("stress-ng");
        expect(result.installed).not.toContain("cloud-init");
    });
});
