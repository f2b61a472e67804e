import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { withFolderNamed } from "../files/disk-errors";
import * as pulumi from "@pulumi/pulumi";
import { changedKeys, removeEmptyParents } from "../dynamic";
import { LOCAL_LEASE_DIR } from "../ports/local";
import { ProcessHealth } from "../supervise/health";
import {
    datastoreDirs,
    Inventory,
    planInventory,
    shapingCommands,
    templateCommands,
} from "./inventory";
import { SimulatorModel, validateModel } from "./model";
import { renderManifest, renderOvf } from "./ovf";
import {
    leasePort,
    processConfig,
    releasePort,
    removeDeadSimulators,
    simulatorHealth,
    simulatorRunning,
    startSimulator,
    stopSimulator,
} from "./simulator-process";
import { serverThumbprint } from "./thumbprint";

export interface VCenterSimulatorArgs {
    /** The stack's folder; the simulator keeps its files in a folder of its own under it. */
    stackDir: pulumi.Input<string>;
    model: pulumi.Input<SimulatorModel>;
    /** Login the simulator accepts. Defaults to administrator@vsphere.local. */
    username?: pulumi.Input<string>;
    /** Machine-wide folder of the local processes' port leases. Defaults to LOCAL_LEASE_DIR. */
    leaseDir?: pulumi.Input<string>;
}

interface SimulatorInputs {
    /** The resource's name: its simulators (one, two while replaced) live in a folder of it. */
    name: string;
    stackDir: string;
    model: SimulatorModel;
    username: string;
    leaseDir: string;
}

/** What the simulator reports, as CAPV's VCenterSimulator status plus its whereabouts. */
export interface SimulatorOutputs extends SimulatorInputs {
    /** 127.0.0.1:PORT */
    server: string;
    /** https://127.0.0.1:PORT/sdk */
    url: string;
    /** Leased, and the same across restarts. */
    port: number;
    password: string;
    /** Of the certificate the simulator made on its first start, and serves on every restart. */
    thumbprint: string;
    /** Folder holding the process's configuration, certificate, logs and datastores. */
    dir: string;
    inventory: Inventory;
    /** The process's state, restart count and health, as the last create or read saw them. */
    health: ProcessHealth;
}

/**
 * Runs one govmomi vCenter simulator, shaped as the model says, under the stack's supervisor.
 * vcsim keeps its inventory in memory: each restart of the process runs the shaping commands
 * again (the same IDs result), so the simulator's own inventory, its templates and content
 * library come back on the same port with the same certificate. What other resources made in
 * it (VMs, folders, libraries) is gone after a restart: their reads see it missing, so
 * `refresh` then `up` make it again.
 */
const provider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: unknown, news: SimulatorInputs) {
        const failures = validateModel(news.model).map((i) => ({
            property: `model.${i.field}`,
            reason: i.message,
        }));
        return { inputs: news, failures };
    },

    async diff(_id: string, olds: SimulatorOutputs, news: SimulatorInputs) {
        // A running simulator cannot be reshaped: any change starts a new one.
        const replaces = changedKeys<SimulatorInputs>(olds, news, [
            "stackDir",
            "model",
            "username",
            "leaseDir",
        ]);
        return { changes: replaces.length > 0, replaces };
    },

    async create(inputs: SimulatorInputs) {
        const id = crypto.randomBytes(4).toString("hex");
        const parent = path.join(inputs.stackDir, "vcsim", folderName(inputs.name));
        // A previous simulator of this resource whose supervisor died, dropped by refresh,
        // left its folder and its port's lease.
        await removeDeadSimulators(parent, (dead) => releasePort(inputs.leaseDir, dead));
        const dir = path.join(parent, id);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const password = crypto.randomBytes(18).toString("base64url");
        const model = inputs.model;
        try {
            const port = await leasePort(inputs.leaseDir, dir, inputs.name);
            const datastores = path.join(dir, "datastores");
            const scratchDirs = datastoreDirs(model, datastores);
            const inventory = planInventory(model);
            const restore = [
                ...shapingCommands(model, datastores),
                ...templateCommands(model),
                ...libraryCommands(model, inventory, path.join(dir, "library")),
            ];
            const running = await startSimulator(
                dir,
                processConfig(model, inputs.username, password),
                { port, restore, scratchDirs },
            );
            const thumbprint = await serverThumbprint("127.0.0.1", running.port);
            const outs: SimulatorOutputs = {
                ...inputs,
                server: `127.0.0.1:${running.port}`,
                url: running.url,
                port: running.port,
                password,
                thumbprint,
                dir,
                inventory,
                health: await simulatorHealth(dir, running.port, thumbprint),
            };
            return { id, outs };
        } catch (err) {
            await stopSimulator(dir);
            releasePort(inputs.leaseDir, dir);
            fs.rmSync(dir, { recursive: true, force: true });
            throw withFolderNamed(err, `the simulator ${inputs.name}`, dir);
        }
    },

    /**
     * Only observes (it also runs for `refresh --preview-only` and `preview --refresh`). A
     * simulator whose supervisor is gone reads as deleted, so refresh drops it and up makes a
     * new one (create removes what the old one left). A running one reads with its state,
     * restart count and health.
     */
    async read(id: string, props: SimulatorOutputs) {
        if (!simulatorRunning(props.dir)) {
            return {};
        }
        return {
            id,
            props: {
                ...props,
                health: await simulatorHealth(props.dir, props.port, props.thumbprint),
            },
        };
    },

    async update(_id: string, olds: SimulatorOutputs, news: SimulatorInputs) {
        return { outs: { ...olds, ...news } };
    },

    async delete(_id: string, props: SimulatorOutputs) {
        await stopSimulator(props.dir);
        releasePort(props.leaseDir, props.dir);
        removeSimulatorDir(props);
    },
};

/**
 * govc commands that create the content library on the first datastore and import one item
 * per template, from OVF files written into `ovfDir` (which restarts import again).
 */
export function libraryCommands(
    model: SimulatorModel,
    inventory: Inventory,
    ovfDir: string,
): string[][] {
    const create = [
        "library.create",
        "-ds",
        inventory.datacenters[0].datastores[0],
        "--",
        model.contentLibrary,
    ];
    const imports = model.templates.map((template) => {
        const dir = path.join(ovfDir, template);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const ovf = renderOvf(template);
        fs.writeFileSync(path.join(dir, `${template}.ovf`), ovf);
        fs.writeFileSync(path.join(dir, `${template}.mf`), renderManifest(`${template}.ovf`, ovf));
        return [
            "library.import",
            "-n",
            template,
            "--",
            model.contentLibrary,
            path.join(dir, `${template}.ovf`),
        ];
    });
    return [create, ...imports];
}

/** One folder name for a resource name (which may hold a `/`). */
function folderName(name: string): string {
    return encodeURIComponent(name).replace(/^\.\.?$/, (dots) => "%2E".repeat(dots.length));
}

/** Removes the simulator's folder, then its parents up to the stack's folder once empty. */
function removeSimulatorDir(props: SimulatorOutputs): void {
    fs.rmSync(props.dir, { recursive: true, force: true });
    removeEmptyParents(props.dir, props.stackDir);
}

/**
 * A simulated vCenter (govmomi's vcsim) on a leased loopback port, with VMC's or vcsim's
 * inventory names, the machine templates cluster templates expect and a content library holding
 * them. It runs under the stack's supervisor, which restarts it when it exits (see provider).
 */
export class VCenterSimulator extends pulumi.dynamic.Resource {
    public readonly server!: pulumi.Output<string>;
    public readonly url!: pulumi.Output<string>;
    public readonly port!: pulumi.Output<number>;
    public readonly username!: pulumi.Output<string>;
    public readonly password!: pulumi.Output<string>;
    public readonly thumbprint!: pulumi.Output<string>;
    public readonly dir!: pulumi.Output<string>;
    public readonly inventory!: pulumi.Output<Inventory>;
    /** The process's state, restart count and health (refresh updates them). */
    public readonly health!: pulumi.Output<ProcessHealth>;

    constructor(name: string, args: VCenterSimulatorArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                name,
                stackDir: args.stackDir,
                model: args.model,
                username: args.username ?? "administrator@vsphere.local",
                leaseDir: args.leaseDir ?? LOCAL_LEASE_DIR,
                server: undefined,
                url: undefined,
                port: undefined,
                password: undefined,
                thumbprint: undefined,
                dir: undefined,
                inventory: undefined,
                health: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["password"] }),
            "vcsim",
            "VCenterSimulator",
        );
    }
}
