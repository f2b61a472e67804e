import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { changedKeys, removeEmptyParents } from "../dynamic";
import { govc, govcAll, GovcTarget } from "../govc/runner";
import {
    datastoreDirs,
    Inventory,
    planInventory,
    processModel,
    shapingCommands,
    templateCommands,
} from "./inventory";
import { apiVersion, SimulatorModel, validateModel } from "./model";
import { renderManifest, renderOvf } from "./ovf";
import {
    isSimulator,
    removeDeadSimulators,
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
}

interface SimulatorInputs {
    /** The resource's name: its simulators (one, two while replaced) live in a folder of it. */
    name: string;
    stackDir: string;
    model: SimulatorModel;
    username: string;
}

/** What the simulator reports, as the seed's VCenterSimulator status plus its whereabouts. */
export interface SimulatorOutputs extends SimulatorInputs {
    /** 127.0.0.1:PORT */
    server: string;
    /** https://127.0.0.1:PORT/sdk */
    url: string;
    port: number;
    password: string;
    thumbprint: string;
    pid: number;
    /** Folder holding the process's configuration, log and datastores. */
    dir: string;
    inventory: Inventory;
}

/** Runs one govmomi vCenter simulator process, shaped as the model says. */
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
        ]);
        return { changes: replaces.length > 0, replaces };
    },

    async create(inputs: SimulatorInputs) {
        const id = crypto.randomBytes(4).toString("hex");
        const parent = path.join(inputs.stackDir, "vcsim", folderName(inputs.name));
        // A previous simulator of this resource that died and was dropped by refresh left its folder.
        removeDeadSimulators(parent);
        const dir = path.join(parent, id);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const password = crypto.randomBytes(18).toString("base64url");
        const model = inputs.model;
        const running = await startSimulator(dir, {
            username: inputs.username,
            password,
            vsphereVersion: model.vsphereVersion,
            apiVersion: apiVersion(model.vsphereVersion),
            ...processModel(model),
        });
        try {
            const target: GovcTarget = { url: running.url, username: inputs.username, password };
            const datastores = path.join(dir, "datastores");
            for (const d of datastoreDirs(model, datastores)) {
                fs.mkdirSync(d, { recursive: true, mode: 0o700 });
            }
            await govcAll(target, shapingCommands(model, datastores));
            await govcAll(target, templateCommands(model));
            const inventory = planInventory(model);
            await createContentLibrary(target, model, inventory, path.join(dir, "library"));
            const outs: SimulatorOutputs = {
                ...inputs,
                server: `127.0.0.1:${running.port}`,
                url: running.url,
                port: running.port,
                password,
                thumbprint: await serverThumbprint("127.0.0.1", running.port),
                pid: running.pid,
                dir,
                inventory,
            };
            return { id, outs };
        } catch (err) {
            await stopSimulator(running.pid, dir);
            fs.rmSync(dir, { recursive: true, force: true });
            throw err;
        }
    },

    /**
     * A simulator whose process is gone reads as deleted, so refresh drops it and up heals.
     * A read only observes (it also runs for `refresh --preview-only` and `preview --refresh`):
     * the folder it left goes when the resource is next created.
     */
    async read(id: string, props: SimulatorOutputs) {
        return isSimulator(props.pid, props.dir) ? { id, props } : {};
    },

    async update(_id: string, olds: SimulatorOutputs, news: SimulatorInputs) {
        return { outs: { ...olds, ...news } };
    },

    async delete(_id: string, props: SimulatorOutputs) {
        await stopSimulator(props.pid, props.dir);
        removeSimulatorDir(props);
    },
};

/** Creates the content library on the first datastore and imports one item per template. */
export async function createContentLibrary(
    target: GovcTarget,
    model: SimulatorModel,
    inventory: Inventory,
    ovfDir: string,
): Promise<void> {
    await govc(target, [
        "library.create",
        "-ds",
        inventory.datacenters[0].datastores[0],
        "--",
        model.contentLibrary,
    ]);
    for (const template of model.templates) {
        const dir = path.join(ovfDir, template);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const ovf = renderOvf(template);
        fs.writeFileSync(path.join(dir, `${template}.ovf`), ovf);
        fs.writeFileSync(path.join(dir, `${template}.mf`), renderManifest(`${template}.ovf`, ovf));
        await govc(target, [
            "library.import",
            "-n",
            template,
            "--",
            model.contentLibrary,
            path.join(dir, `${template}.ovf`),
        ]);
    }
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
 * A simulated vCenter (govmomi's vcsim) on a free loopback port, with VMC's or vcsim's inventory
 * names, the machine templates cluster templates expect and a content library holding them.
 */
export class VCenterSimulator extends pulumi.dynamic.Resource {
    public readonly server!: pulumi.Output<string>;
    public readonly url!: pulumi.Output<string>;
    public readonly port!: pulumi.Output<number>;
    public readonly username!: pulumi.Output<string>;
    public readonly password!: pulumi.Output<string>;
    public readonly thumbprint!: pulumi.Output<string>;
    public readonly pid!: pulumi.Output<number>;
    public readonly dir!: pulumi.Output<string>;
    public readonly inventory!: pulumi.Output<Inventory>;

    constructor(name: string, args: VCenterSimulatorArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                name,
                stackDir: args.stackDir,
                model: args.model,
                username: args.username ?? "administrator@vsphere.local",
                server: undefined,
                url: undefined,
                port: undefined,
                password: undefined,
                thumbprint: undefined,
                pid: undefined,
                dir: undefined,
                inventory: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["password"] }),
            "vcsim",
            "VCenterSimulator",
        );
    }
}
