/**
 * The simulator runs under the stack's supervisor, on the real engine and a real vcsim: a
 * vcsim killed with SIGKILL is started again on the same port, with the same certificate and
 * its inventory restored (the same managed object IDs), its restart counted and logged in the
 * stack's folder; reads only observe (`preview --refresh` and `refresh --preview-only` change no
 * process, file, lease or state); a simulator whose supervisor is gone reads as deleted, and
 * the next `up` starts a new one, removing what the dead one left; `down` leaves nothing.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { heldBy } from "../../providers/ports/leases";
import { LOCAL_LEASE_DIR } from "../../providers/ports/local";
import { readSupervisor, supervisorFiles } from "../../providers/supervise";
import { DEFAULT_MODEL } from "../../providers/vcsim";
import {
    envFileVariables,
    listening,
    processesIn,
    removeStack,
    ROOT,
    simulatorPids,
    simulatorReady,
    stateResources,
    uniqueStackName,
    withEnvFile,
    observed,
} from "../support/harness";

jest.setTimeout(5 * 60 * 1000);

const PROGRAM = path.join(ROOT, "test/integration/vcsim-program");
const SIMULATOR = "pulumi-nodejs:dynamic/vcsim:VCenterSimulator";

/** Every process, file (with its mode and hash), lease and state resource of the stack. */
async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error("timed out");
        }
        await new Promise((r) => setTimeout(r, 50));
    }
}

async function simulatorOutputs(stack: Stack) {
    const simulator = (await stateResources(stack)).find((r) => r.type === SIMULATOR);
    return simulator?.outputs as
        | { dir: string; port: number; thumbprint: string; health: Record<string, unknown> }
        | undefined;
}

/** The vcsim process the supervisor of `dir` runs, as its state file says. */
function vcsimStatus(dir: string) {
    return readSupervisor(supervisorFiles(dir))?.processes.find((p) => p.name === "vcsim");
}

/**
 * The simulator's inventory, with each object's managed object ID, the template's UUID and its
 * library's items (which govc lists in no set order).
 */
function inventory(envFile: string): string[] {
    const library = `/${DEFAULT_MODEL.contentLibrary}`;
    return withEnvFile(
        envFile,
        `govc find -i -l / ; govc library.ls "${library}/*"; govc object.collect -s "$VSPHERE_TEMPLATE" config.uuid`,
    )
        .split("\n")
        .sort();
}

describe("a supervised simulator, on the real engine", () => {
    const name = uniqueStackName("vcsim-read");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-ci-envs-vcsim-read-"));
    const stackDir = path.join(tmp, "stack");
    const leaseDir = path.join(tmp, "leases");
    const owner = `${stackDir}#cluster1`;
    let stack: Stack;
    let envFile: string;
    let dir: string;
    let port: number;

    beforeAll(async () => {
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: name, workDir: PROGRAM },
            { envVars: { PULUMI_CONFIG_PASSPHRASE: process.env.K8S_CI_ENVS_LOCAL_PASSPHRASE! } },
        );
        await stack.setAllConfig({ stackDir: { value: stackDir }, leaseDir: { value: leaseDir } });
        envFile = (await stack.up()).outputs.envFile.value;
        ({ dir, port } = (await simulatorOutputs(stack))!);
    });

    afterAll(async () => {
        if (fs.existsSync(path.join(PROGRAM, `Pulumi.${name}.yaml`))) {
            await removeStack(stack); // a test failed half-way: still leave nothing behind
        }
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("is created healthy, on a leased port, serving a certificate of its own", async () => {
        const outputs = (await simulatorOutputs(stack))!;
        expect(outputs.health).toMatchObject({ state: "running", restarts: 0, healthy: true });
        expect(heldBy(LOCAL_LEASE_DIR, `${dir}#vcsim`)?.port).toBe(port);
        // Not govmomi's built-in localhost certificate, whose key every simulator shares.
        expect(fs.statSync(path.join(dir, "tls.key")).mode & 0o777).toBe(0o600);
        const served = withEnvFile(envFile, "govc about.cert -thumbprint").trim().split(" ")[1];
        expect(served).toBe(outputs.thumbprint);
        expect(envFileVariables(envFile).VSPHERE_TLS_THUMBPRINT).toBe(outputs.thumbprint);
    });

    it("restarts a killed vcsim on the same port, with the same certificate and inventory", async () => {
        const before = inventory(envFile);
        expect(before.some((l) => l.endsWith(" /SDDC-Datacenter/vm/Workloads"))).toBe(true);
        const [pid] = simulatorPids(stackDir);
        const killedAt = Date.now();
        process.kill(pid, "SIGKILL");
        // Running again, its inventory restored, within seconds.
        await waitFor(() => simulatorReady(dir, 1), 30_000);
        console.log(
            `vcsim ran again, restored, ${(Date.now() - killedAt) / 1000} s after the kill`,
        );
        const [again] = simulatorPids(stackDir);
        expect(again).not.toBe(pid);
        expect(vcsimStatus(dir)).toMatchObject({ restarts: 1, lastExit: "killed by killed" });
        expect(fs.readFileSync(path.join(dir, "supervisor.log"), "utf8")).toMatch(
            /vcsim: killed by killed after .*; restart 1 in/,
        );

        const vars = envFileVariables(envFile);
        expect(vars.VSPHERE_SERVER).toBe(`https://127.0.0.1:${port}`);
        const served = withEnvFile(envFile, "govc about.cert -thumbprint").trim().split(" ")[1];
        expect(served).toBe(vars.VSPHERE_TLS_THUMBPRINT);
        // The same objects, with the same managed object IDs and template UUID.
        expect(inventory(envFile)).toEqual(before);
    });

    it("changes no process, file, lease or state on preview --refresh and refresh --preview-only", async () => {
        const before = await observed(stack, [stackDir, leaseDir]);
        const lease = heldBy(LOCAL_LEASE_DIR, `${dir}#vcsim`);
        const preview = await stack.preview({ refresh: true });
        // Nothing to create, replace or delete: the restarted simulator is the same one.
        expect(
            Object.keys(preview.changeSummary).filter((op) => !["same", "read"].includes(op)),
        ).toEqual([]);
        expect(await observed(stack, [stackDir, leaseDir])).toEqual(before);
        await stack.previewRefresh();
        expect(await observed(stack, [stackDir, leaseDir])).toEqual(before);
        expect(heldBy(LOCAL_LEASE_DIR, `${dir}#vcsim`)).toEqual(lease);
    });

    it("reads its restart count and health on refresh", async () => {
        await stack.refresh();
        expect((await simulatorOutputs(stack))!.health).toMatchObject({
            state: "running",
            restarts: 1,
            healthy: true,
            lastExit: "killed by killed",
        });
        expect((await stack.preview()).changeSummary).toEqual({ same: expect.any(Number) });
    });

    it("reads as deleted once its supervisor is gone; up starts a new one and removes the old", async () => {
        const supervisor = readSupervisor(supervisorFiles(dir))!.pid;
        process.kill(supervisor, "SIGKILL");
        // The supervisor's processes do not outlive it (a parent-death signal).
        await waitFor(() => simulatorPids(stackDir).length === 0);
        const before = await observed(stack, [stackDir, leaseDir]);
        const preview = await stack.preview({ refresh: true });
        expect(preview.changeSummary.create).toBe(1);
        expect(await observed(stack, [stackDir, leaseDir])).toEqual(before);

        const endpoint = heldBy(leaseDir, owner);
        await stack.refresh();
        expect((await stateResources(stack)).map((r) => r.type)).not.toContain(SIMULATOR);
        expect(fs.existsSync(dir)).toBe(true); // refresh only observes

        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        expect(result.summary.resourceChanges?.create).toBe(1);
        expect(simulatorPids(stackDir)).toHaveLength(1);
        expect(fs.existsSync(dir)).toBe(false);
        expect(heldBy(LOCAL_LEASE_DIR, `${dir}#vcsim`)).toBeUndefined();
        expect(fs.readdirSync(path.dirname(dir))).toHaveLength(1);
        expect(heldBy(leaseDir, owner)).toEqual(endpoint);
        expect(withEnvFile(envFile, "govc ls /")).toContain("/SDDC-Datacenter");
        ({ dir, port } = (await simulatorOutputs(stack))!);
    });

    it("leaves no process, port, file, lease or state on down", async () => {
        await removeStack(stack);
        expect(processesIn(stackDir)).toEqual([]);
        expect(await listening(port)).toBe(false);
        expect(heldBy(LOCAL_LEASE_DIR, `${dir}#vcsim`)).toBeUndefined();
        expect(fs.existsSync(stackDir)).toBe(false);
        expect(fs.existsSync(leaseDir)).toBe(false);
        expect(fs.existsSync(path.join(PROGRAM, `Pulumi.${name}.yaml`))).toBe(false);
    });
});
