/**
 * A bare simulator (vcsim's own inventory names, with the default machine templates) and stacks
 * of the vSphere test program (test/integration/vsphere-program) that point at it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { govc, govcAll, GovcTarget } from "../../providers/govc/runner";
import {
    DEFAULT_MODEL,
    planInventory,
    SimulatorModel,
    templateCommands,
} from "../../providers/vcsim";
import { LOCAL_LEASE_DIR } from "../../providers/ports/local";
import {
    leasePort,
    processConfig,
    releasePort,
    startSimulator,
    stopSimulator,
} from "../../providers/vcsim/simulator-process";
import { serverThumbprint } from "../../providers/vcsim/thumbprint";
import { ROOT } from "./harness";

export const PROGRAM = path.join(ROOT, "test/integration/vsphere-program");

export interface TestSimulator {
    target: GovcTarget;
    connection: Record<string, unknown>;
    dir: string;
    pid: number;
    stop(): Promise<void>;
}

export async function startTestSimulator(): Promise<TestSimulator> {
    const model: SimulatorModel = { ...DEFAULT_MODEL, inventoryNames: "vcsim" };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-ci-envs-vsphere-it-"));
    const password = "vsphere-it-" + Math.random().toString(36).slice(2);
    const port = await leasePort(LOCAL_LEASE_DIR, dir, "vsphere-it");
    const running = await startSimulator(
        dir,
        processConfig(model, "administrator@vsphere.local", password),
        { port },
    );
    const thumbprint = await serverThumbprint("127.0.0.1", running.port);
    const target: GovcTarget = {
        url: running.url,
        username: "administrator@vsphere.local",
        password,
        thumbprint,
        datacenter: "DC0",
    };
    await govcAll(target, templateCommands(model));
    const dc = planInventory(model).datacenters[0];
    return {
        target,
        dir,
        pid: running.pid,
        connection: {
            server: `127.0.0.1:${running.port}`,
            username: target.username,
            thumbprint,
            datacenter: dc.name,
            datastore: dc.datastores[0],
            network: dc.network,
            folder: dc.folder,
            resourcePool: dc.clusters[0].resourcePool,
            templates: dc.templates,
            simulatedGuestAddresses: true,
        },
        async stop() {
            await stopSimulator(dir);
            releasePort(LOCAL_LEASE_DIR, dir);
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** A stack of the test program against the simulator. */
export async function programStack(name: string, sim: TestSimulator): Promise<Stack> {
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: name, workDir: PROGRAM },
        { envVars: { PULUMI_CONFIG_PASSPHRASE: process.env.K8S_CI_ENVS_LOCAL_PASSPHRASE! } },
    );
    await stack.setConfig("connection", { value: JSON.stringify(sim.connection) });
    await stack.setConfig("password", { value: sim.target.password, secret: true });
    return stack;
}

export async function setSpec(stack: Stack, spec: object): Promise<void> {
    await stack.setConfig("spec", { value: JSON.stringify(spec) });
}

/** A VM as govc reports it, or undefined once gone. */
export async function vmInfo(target: GovcTarget, vmPath: string) {
    const out = JSON.parse(await govc(target, ["vm.info", "-json", "-e", vmPath]));
    return out.virtualMachines?.[0];
}

/** A guestinfo variable of the VM, decoded. */
export function guestInfo(vm: any, key: string): string | undefined {
    const entry = (vm.config.extraConfig as { key: string; value: string }[]).find(
        (e) => e.key === key,
    );
    return entry && Buffer.from(entry.value, "base64").toString("utf8");
}
