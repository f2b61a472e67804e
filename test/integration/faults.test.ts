/**
 * Faults a run survives, each ending with nothing leaked and the stack usable: the state backend
 * (PostgreSQL) going away in the middle of an update and coming back; the disk under the
 * stack's folder full during `up` (a small tmpfs), then room again.
 */
import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { LOCAL_LEASE_DIR } from "../../providers/ports/local";
import { removeStackWithBackups } from "../../run/remove-stack";
import {
    leasesOf,
    processesIn,
    removeStack,
    ROOT,
    stateResources,
    uniqueStackName,
} from "../support/harness";
import { startPostgres, Postgres } from "../support/postgres";
import {
    filesText,
    Hold,
    programStack,
    removeSettings,
    runProgram,
} from "../support/state-program";

jest.setTimeout(8 * 60 * 1000);

const PREFIX = `faults-${crypto.randomBytes(3).toString("hex")}-`;

describe("a run whose state backend goes away mid-update", () => {
    let pg: Postgres;
    let stack: Stack;
    const hold = new Hold();
    const artifacts: string[] = [];

    beforeAll(async () => {
        pg = await startPostgres();
        stack = await programStack(`ci-${PREFIX}gone`, pg.url);
    });

    afterAll(async () => {
        hold.remove();
        artifacts.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
        if (pg && stack) {
            await pg.resume();
            await stack.cancel().catch(() => undefined);
            await stack.destroy().catch(() => undefined);
            removeStackWithBackups(stack);
            removeSettings(stack.name);
        }
        await pg?.stop();
    });

    it("fails without its password anywhere; once it is back the stack is locked, cleared and usable", async () => {
        const zero = runProgram(stack, { value: "zero" });
        artifacts.push(zero.artifacts);
        await zero.done;

        const first = runProgram(stack, { value: "first", holdDir: hold.dir });
        artifacts.push(first.artifacts);
        await hold.started();
        await pg.pause();
        hold.release();
        const failed = await first.done.then(
            () => "the update succeeded with its backend gone",
            (e: Error) => e.message,
        );
        expect(failed).toMatch(/failed to save snapshot: .*connection refused/);
        for (const text of [failed, first.output(), filesText(first.artifacts)]) {
            expect(text).not.toContain(pg.password);
        }

        await pg.resume();
        expect((await stack.outputs()).value.value).toBe("zero"); // the last state it saved
        const locked = runProgram(stack, { value: "next" });
        artifacts.push(locked.artifacts);
        await expect(locked.done).rejects.toThrow(
            `stack ${stack.name} is locked by another update, or by one that was killed (SIGKILL) and left its lock`,
        );
        await expect(locked.done).rejects.toThrow(`hack/run pulumi cancel --stack ${stack.name}`);

        await stack.cancel(); // what the message says to run, once no update is running
        const next = runProgram(stack, { value: "next" });
        artifacts.push(next.artifacts);
        await next.done;
        expect((await stack.outputs()).value.value).toBe("next");
        expect((await stack.preview()).changeSummary).toEqual({ same: 2 });
    });
});

const ENDPOINT = "pulumi-nodejs:dynamic/vcsim:ControlPlaneEndpoint";

describe("an up whose stack folder runs out of space", () => {
    const program = path.join(ROOT, "test/integration/vcsim-program");
    const name = uniqueStackName("disk-full");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-ci-envs-disk-full-"));
    const stackDir = path.join(tmp, "stack");
    const leaseDir = path.join(tmp, "leases");
    let stack: Stack;
    let mounted = false;
    const mount = (...args: string[]) => childProcess.execFileSync("mount", args);

    beforeAll(async () => {
        fs.mkdirSync(stackDir);
        mount("-t", "tmpfs", "-o", "size=8k", "tmpfs", stackDir);
        mounted = true;
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: name, workDir: program },
            { envVars: { PULUMI_CONFIG_PASSPHRASE: process.env.K8S_CI_ENVS_LOCAL_PASSPHRASE! } },
        );
        await stack.setAllConfig({ stackDir: { value: stackDir }, leaseDir: { value: leaseDir } });
    });

    afterAll(async () => {
        if (fs.existsSync(path.join(program, `Pulumi.${name}.yaml`))) {
            await removeStack(stack); // a test failed half-way: still leave nothing behind
        }
        if (mounted) {
            childProcess.execFileSync("umount", [stackDir]);
        }
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("fails naming the full disk, leaving no process or lease; with room, up, no change, down twice", async () => {
        const failed = await stack.up().then(
            () => "up succeeded on a full disk",
            (e: Error) => e.message,
        );
        expect(failed).toContain(
            `the simulator vcsim-simulator could not write under ${stackDir}/vcsim/vcsim-simulator/`,
        );
        expect(failed).toContain("no space left on the device that holds it: free some");
        expect(processesIn(stackDir)).toEqual([]);
        expect(leasesOf([LOCAL_LEASE_DIR], stackDir)).toEqual([]); // the simulator's port
        // What was created is in the state, to be destroyed: the endpoint's lease, nothing else.
        const endpoint = (await stateResources(stack)).filter((r) => r.type === ENDPOINT);
        expect(leasesOf([leaseDir], stackDir).map((l) => l.port)).toEqual(
            endpoint.map((r) => r.outputs?.port),
        );

        mount("-o", "remount,size=64m", stackDir);
        await stack.up();
        expect(Object.keys((await stack.preview()).changeSummary)).toEqual(["same"]);
        await stack.destroy();
        const again = await stack.destroy(); // down twice: the second has nothing to do
        expect(again.summary.result).toBe("succeeded");
        expect(Object.keys(again.summary.resourceChanges ?? {})).toEqual([]);
        await removeStack(stack);
        expect(processesIn(stackDir)).toEqual([]);
        expect(leasesOf([leaseDir], stackDir)).toEqual([]);
        expect(fs.readdirSync(stackDir)).toEqual([]);
        expect(await stateResources(stack).catch(() => [])).toEqual([]);
    });
});
