import * as path from "path";
import { SimulatorModel } from "./model";

/** A compute cluster and the resource pool its machines go to (inventory paths). */
export interface ClusterInventory {
    path: string;
    resourcePool: string;
}

/** Where CAPV finds things in one simulated datacenter (inventory paths, as govc takes them). */
export interface DatacenterInventory {
    name: string;
    path: string;
    clusters: ClusterInventory[];
    /** Every resource pool created beyond the machine pools. */
    extraPools: string[];
    datastores: string[];
    network: string;
    folder: string;
    templates: string[];
}

export interface Inventory {
    datacenters: DatacenterInventory[];
    contentLibrary: string;
}

/** Names of one naming scheme; indexes are zero-based. */
interface Naming {
    datacenter(i: number): string;
    cluster(dc: number, c: number): string;
    extraPool(dc: number, c: number, p: number): string;
    /** The pool machines go to, relative to the cluster's root pool, if not the root itself. */
    machinePool?: string;
    datastore(k: number): string;
    network: string;
    /** Folder for machines and templates, under the datacenter's vm folder, if any. */
    folder?: string;
}

/** vcsim's own names (govmomi simulator/model.go). */
const VCSIM_NAMES: Naming = {
    datacenter: (i) => `DC${i}`,
    cluster: (dc, c) => `DC${dc}_C${c}`,
    extraPool: (dc, c, p) => `DC${dc}_C${c}_RP${p + 1}`,
    datastore: (k) => `LocalDS_${k}`,
    network: "VM Network",
};

/** VMware Cloud on AWS SDDC names, as CAPV's Prow CI saw them. */
const VMC_NAMES: Naming = {
    datacenter: (i) => suffixed("SDDC-Datacenter", i),
    cluster: (_dc, c) => `Cluster-${c + 1}`,
    extraPool: (_dc, _c, p) => `Compute-ResourcePool-${p + 2}`,
    machinePool: "Compute-ResourcePool",
    datastore: (k) => suffixed("WorkloadDatastore", k),
    network: "sddc-cgw-network-1",
    folder: "Workloads",
};

function suffixed(name: string, i: number): string {
    return i === 0 ? name : `${name}-${i + 1}`;
}

function naming(model: SimulatorModel): Naming {
    return model.inventoryNames === "vmc" ? VMC_NAMES : VCSIM_NAMES;
}

export function planInventory(model: SimulatorModel): Inventory {
    const names = naming(model);
    const datacenters = range(model.datacenters).map((d): DatacenterInventory => {
        const dc = `/${names.datacenter(d)}`;
        const clusterPaths = range(model.clusters).map((c) => `${dc}/host/${names.cluster(d, c)}`);
        const rootPool = (cluster: string) => `${cluster}/Resources`;
        const folder = names.folder ? `${dc}/vm/${names.folder}` : `${dc}/vm`;
        return {
            name: names.datacenter(d),
            path: dc,
            clusters: clusterPaths.map((cluster) => ({
                path: cluster,
                resourcePool: names.machinePool
                    ? `${rootPool(cluster)}/${names.machinePool}`
                    : rootPool(cluster),
            })),
            extraPools: clusterPaths.flatMap((cluster, c) =>
                range(model.resourcePools).map(
                    (p) => `${rootPool(cluster)}/${names.extraPool(d, c, p)}`,
                ),
            ),
            datastores: range(model.datastores).map((k) => `${dc}/datastore/${names.datastore(k)}`),
            network: `${dc}/network/${names.network}`,
            folder,
            templates: model.templates.map((t) => `${folder}/${t}`),
        };
    });
    return { datacenters, contentLibrary: model.contentLibrary };
}

/** The counts the simulator process starts with; the rest is shaped with govc. */
export function processModel(model: SimulatorModel) {
    const vcsimNames = model.inventoryNames === "vcsim";
    return {
        datacenters: model.datacenters,
        clusters: model.clusters,
        hostsPerCluster: model.hostsPerCluster,
        // vcsim cannot rename pools or datastores: VMC-named ones are created instead.
        pools: vcsimNames ? model.resourcePools : 0,
        datastores: vcsimNames ? model.datastores : 0,
    };
}

/**
 * govc commands that turn the freshly started simulator into the planned inventory, in order.
 * `datastoreDir` holds the backing folders of created datastores.
 */
export function shapingCommands(model: SimulatorModel, datastoreDir: string): string[][] {
    if (model.inventoryNames === "vcsim") {
        return [];
    }
    const names = naming(model);
    return planInventory(model).datacenters.flatMap((dc, d) => {
        const renameDc = ["object.rename", "--", `/${VCSIM_NAMES.datacenter(d)}`, dc.name];
        const renameClusters = dc.clusters.map((cluster, c) => [
            "object.rename",
            "--",
            `${dc.path}/host/${VCSIM_NAMES.cluster(d, c)}`,
            path.posix.basename(cluster.path),
        ]);
        // vcsim names hosts after the cluster it created them in, and renaming keeps them.
        const hosts = dc.clusters.flatMap((cluster, c) =>
            range(model.hostsPerCluster).map(
                (h) => `${cluster.path}/${VCSIM_NAMES.cluster(d, c)}_H${h}`,
            ),
        );
        const inDc = (command: string, ...args: string[]) => [command, "-dc", dc.name, ...args];
        const datastores = dc.datastores.map((ds) => {
            const name = path.posix.basename(ds);
            const dir = path.join(datastoreDir, `${dc.name}-${name}`);
            return inDc(
                "datastore.create",
                "-type",
                "local",
                "-name",
                name,
                "-path",
                dir,
                "--",
                ...hosts,
            );
        });
        const network = inDc(
            "dvs.portgroup.add",
            "-dvs",
            `${dc.path}/network/DVS0`,
            "--",
            path.posix.basename(dc.network),
        );
        const pools = [...dc.clusters.map((c) => c.resourcePool), ...dc.extraPools].map((pool) =>
            inDc("pool.create", "--", pool),
        );
        const folder = names.folder ? [inDc("folder.create", "--", dc.folder)] : [];
        return [renameDc, ...renameClusters, ...datastores, network, ...pools, ...folder];
    });
}

/** Backing folders that shapingCommands creates datastores in, to make before and remove after. */
export function datastoreDirs(model: SimulatorModel, datastoreDir: string): string[] {
    return shapingCommands(model, datastoreDir)
        .filter((cmd) => cmd[0] === "datastore.create")
        .map((cmd) => cmd[cmd.indexOf("-path") + 1]);
}

/** govc commands that create the machine templates in every datacenter. */
export function templateCommands(model: SimulatorModel): string[][] {
    return planInventory(model).datacenters.flatMap((dc) =>
        model.templates.flatMap((template, i) => [
            [
                "vm.create",
                "-dc",
                dc.name,
                "-ds",
                dc.datastores[0],
                "-pool",
                dc.clusters[0].resourcePool,
                "-folder",
                dc.folder,
                "-net",
                dc.network,
                "-disk",
                "20G",
                "-g",
                "ubuntu64Guest",
                "-on=false",
                "--",
                template,
            ],
            ["vm.markastemplate", "-dc", dc.name, "--", dc.templates[i]],
        ]),
    );
}

function range(n: number): number[] {
    return Array.from({ length: n }, (_, i) => i);
}
