import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { collectLogsScript } from "../../../components/devstack/logs";
import {
    CLOUD_INIT_WAIT,
    identityCheckScript,
    identityUrl,
} from "../../../components/devstack/readiness";

let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "readiness-"));
    fs.mkdirSync(path.join(dir, "bin"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Puts a stand-in `name` on PATH that records its arguments and exits with $FAKE_RC. */
function fake(name: string, body = "") {
    fs.writeFileSync(
        path.join(dir, "bin", name),
        `#!/bin/bash\nprintf '%s\\n' "$*" >> "${dir}/${name}.log"\n${body}\nexit "\${FAKE_RC:-0}"\n`,
        { mode: 0o755 },
    );
}

function run(script: string, env: Record<string, string> = {}, shell = "bash") {
    return childProcess.spawnSync(shell, ["-c", script], {
        env: { PATH: `${dir}/bin:${process.env.PATH}`, ...env },
        encoding: "utf8",
    });
}

const calls = (name: string) =>
    fs
        .readFileSync(path.join(dir, `${name}.log`), "utf8")
        .trim()
        .split("\n");

describe("the wait for the controller's cloud-init", () => {
    it.each([
        ["0", 0],
        ["2", 0], // done, with recoverable errors (cloud-init 23.4+)
        ["1", 1],
    ])("treats cloud-init's exit %s as %p", (rc, status) => {
        fake("cloud-init");
        // The remote command runs in the login user's shell: keep it POSIX.
        expect(run(CLOUD_INIT_WAIT, { FAKE_RC: rc }, "sh").status).toBe(status);
        expect(calls("cloud-init")).toEqual(["status --wait --long"]);
    });
});

describe("the Identity API check through the tunnel", () => {
    const check = {
        url: identityUrl("10.0.3.15"),
        attempts: 3,
        retrySeconds: 0,
        timeoutSeconds: 30,
    };

    it("asks Keystone on the controller's private address and prints its answer", () => {
        fake("curl", 'echo \'{"version": {"id": "v3.14"}}\'');
        const result = run(identityCheckScript(check));
        expect(result.status).toBe(0);
        expect(result.stdout).toContain('"id": "v3.14"');
        expect(calls("curl")).toEqual([
            "--fail --silent --show-error --max-time 30 http://10.0.3.15/identity/v3",
        ]);
    });

    it("retries, and fails naming the URL after the last attempt", () => {
        fake("curl");
        const result = run(identityCheckScript(check), { FAKE_RC: "7" });
        expect(result.status).toBe(1);
        expect(calls("curl")).toHaveLength(3);
        expect(result.stderr).toContain(
            "the Identity API at http://10.0.3.15/identity/v3 did not answer in 3 attempts",
        );
    });
});

describe("the logs collected on destroy", () => {
    const sources = {
        hosts: [
            { role: "controller" as const, address: "34.86.1.2" },
            { role: "worker" as const, address: "34.86.1.3" },
        ],
        user: "cloud",
        keyFile: "/run/key",
    };

    it("saves each machine's journal and DevStack log under $ARTIFACTS/devstack", () => {
        fake("ssh", 'echo "log of ${@: -2:1} via ${@: -1}"');
        const artifacts = path.join(dir, "artifacts");
        expect(run(collectLogsScript(sources), { ARTIFACTS: artifacts }).status).toBe(0);
        const saved = (role: string, file: string) =>
            fs.readFileSync(path.join(artifacts, "devstack", role, file), "utf8");
        expect(saved("controller", "journal.log")).toBe(
            "log of cloud@34.86.1.2 via sudo journalctl --no-pager --boot\n",
        );
        expect(saved("worker", "stack.sh.log")).toBe(
            "log of cloud@34.86.1.3 via sudo cat /opt/stack/logs/stack.sh.log\n",
        );
        expect(calls("ssh")[0]).toContain("-i /run/key");
    });

    it("never fails the destroy, and does nothing without $ARTIFACTS", () => {
        fake("ssh");
        const artifacts = path.join(dir, "artifacts");
        expect(
            run(collectLogsScript(sources), { ARTIFACTS: artifacts, FAKE_RC: "255" }).status,
        ).toBe(0);
        expect(run(collectLogsScript(sources)).status).toBe(0);
        expect(calls("ssh")).toHaveLength(4);
    });
});
