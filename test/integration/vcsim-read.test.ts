/**
 * A simulator's read only observes: with its process killed, `preview --refresh` and
 * `refresh --preview-only` change no process, file, lease or state; `refresh` drops it and the
 * next `up` starts a new one, removing what the dead one left; `down` leaves nothing.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { heldBy } from "../../providers/ports/leases";
import {
    listening,
    processesIn,
    removeStack,
    ROOT,
    simulatorPids,
    stateResources,
    uniqueStackName,
    withEnvFile,
} from "../support/harness";

jest.setTimeout(5 * 60 * 1000);

const PROGRAM = path.join(ROOT, "test/integration/vcsim-program");
const SIMULATOR = "pulumi-nodejs:dynamic/vcsim:VCenterSimulator";

/** Every process, file (with its mode and hash), lease and state resource of the stack. */
async function snapshot(stack: Stack, dirs: string[]) {
    const files = dirs.flatMap((dir) =>
        fs.existsSync(dir)
            ? (fs.readdirSync(dir, { recursive: true }) as string[]).map((entry) => {
                  const file = path.join(dir, entry);
                  const stat = fs.statSync(file);
                  const hash = stat.isFile()
                      ? crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex")
                      : "dir";
                  return `${file} ${(stat.mode & 0o7777).toString(8)} ${hash}`;
              })
            : [],
    );
    return {
        processes: dirs.flatMap((dir) => processesIn(dir)).sort(),
        files: files.sort(),
        state: (await stateResources(stack)).map((r) => [r.urn, r.outputs]),
    };
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error("timed out");
        }
        await new Promise((r) => setTimeout(r, 50));
    }
}

describe("a simulator whose process died, on the real engine", () => {
    const name = uniqueStackName("vcsim-read");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-ci-envs-vcsim-read-"));
    const stackDir = path.join(tmp, "stack");
    const leaseDir = path.join(tmp, "leases");
    const owner = `${stackDir}#cluster1`;
    let stack: Stack;
    let envFile: string;
    let deadDir: string;

    beforeAll(async () => {
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: name, workDir: PROGRAM },
            { envVars: { PULUMI_CONFIG_PASSPHRASE: process.env.K8S_CI_ENVS_LOCAL_PASSPHRASE! } },
        );
        await stack.setAllConfig({ stackDir: { value: stackDir }, leaseDir: { value: leaseDir } });
        envFile = (await stack.up()).outputs.envFile.value;
    });

    afterAll(async () => {
        if (fs.existsSync(path.join(PROGRAM, `Pulumi.${name}.yaml`))) {
            await removeStack(stack); // a test failed half-way: still leave nothing behind
        }
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("changes no process, file, lease or state on preview --refresh and refresh --preview-only", async () => {
        const [pid] = simulatorPids(stackDir);
        deadDir = (await stateResources(stack)).find((r) => r.type === SIMULATOR)!.outputs!
            .dir as string;
        process.kill(pid, "SIGKILL");
        await waitFor(() => simulatorPids(stackDir).length === 0);
        const before = await snapshot(stack, [stackDir, leaseDir]);
        expect(before.files.some((f) => f.startsWith(deadDir))).toBe(true);
        expect(heldBy(leaseDir, owner)).toBeDefined();

        const preview = await stack.preview({ refresh: true });
        // The engine reads the simulator as gone, so it plans a new one.
        expect(preview.changeSummary.create).toBe(1);
        expect(await snapshot(stack, [stackDir, leaseDir])).toEqual(before);

        await stack.previewRefresh();
        expect(await snapshot(stack, [stackDir, leaseDir])).toEqual(before);
    });

    it("heals on refresh then up, removing what the dead simulator left", async () => {
        const lease = heldBy(leaseDir, owner);
        await stack.refresh();
        expect((await stateResources(stack)).map((r) => r.type)).not.toContain(SIMULATOR);

        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        expect(result.summary.resourceChanges?.create).toBe(1);
        expect(simulatorPids(stackDir)).toHaveLength(1);
        expect(fs.existsSync(deadDir)).toBe(false);
        const simulators = path.dirname(deadDir);
        expect(fs.readdirSync(simulators)).toHaveLength(1);
        expect(heldBy(leaseDir, owner)).toEqual(lease);
        expect(withEnvFile(envFile, "govc ls /")).toContain("/SDDC-Datacenter");
    });

    it("leaves no process, file, lease or state on down", async () => {
        const port = (await stateResources(stack)).find((r) => r.type === SIMULATOR)!.outputs!
            .port as number;
        await removeStack(stack);
        expect(processesIn(stackDir)).toEqual([]);
        expect(await listening(port)).toBe(false);
        expect(fs.existsSync(stackDir)).toBe(false);
        expect(fs.existsSync(leaseDir)).toBe(false);
        expect(fs.existsSync(path.join(PROGRAM, `Pulumi.${name}.yaml`))).toBe(false);
    });
});
