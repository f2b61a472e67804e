import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { changedKeys, removeEmptyParents } from "../dynamic";
import { acquireLease, releaseLease } from "../ports/leases";
import { LOCAL_LEASE_DIR, LOCAL_PORTS } from "../ports/local";
import { PortRange } from "../ports/range";
import { readSupervisor, startSupervisor, stopSupervisor, supervisorFiles } from "../supervise";
import { adminKubeconfig } from "./admin-kubeconfig";
import { proveControllers } from "./controllers";
import { clusterHealth, ComponentHealth, waitHealthy } from "./health";
import { ComponentPorts, COMPONENT_PORTS, kwokctlConfiguration } from "./kwokctl-config";
import { clusterProcesses } from "./supervision";
import { checkClusterName, nodeManifests, NodePool, validateNodePool } from "./nodes";
import { clusterBinaries, kwokStages, resolveTool, run, toolEnv } from "./tools";

/** Ports local clusters lease, from the pool of the stack's local processes. */
export const CLUSTER_PORTS: PortRange = LOCAL_PORTS;

/** Where every stack on the machine leases its clusters' ports (see providers/ports/leases). */
export const CLUSTER_LEASE_DIR = LOCAL_LEASE_DIR;

export interface LocalClusterArgs {
    /** The stack's folder; the cluster's files live under `<stackDir>/kwok`. */
    stackDir: pulumi.Input<string>;
    /** The cluster's name (a DNS label): its kubeconfig context and its nodes' prefix. */
    clusterName: pulumi.Input<string>;
    nodes: pulumi.Input<NodePool>;
    /** Machine-wide folder of port leases. Defaults to CLUSTER_LEASE_DIR. */
    leaseDir?: pulumi.Input<string>;
}

export interface ClusterInputs {
    stackDir: string;
    clusterName: string;
    nodes: NodePool;
    leaseDir: string;
}

export interface ClusterOutputs extends ClusterInputs {
    /** https://127.0.0.1:PORT */
    server: string;
    /** Self-contained admin kubeconfig (a secret). */
    kubeconfig: string;
    ports: ComponentPorts;
    kubeVersion: string;
    /** kwokctl's work folder, and the cluster's own folder in it. */
    workdir: string;
    dir: string;
    /** Each component's state, restart count and health, as the last create or read saw them. */
    components: Record<string, ComponentHealth>;
}

/**
 * How long a new cluster's components may take to become healthy, and its controllers to run
 * a Job: generous, for a 2-core machine that is building or testing something else.
 */
const HEALTHY_TIMEOUT_MS = 180_000;
const CONTROLLERS_TIMEOUT_MS = 120_000;

const leaseOwner = (inputs: ClusterInputs, component: string) =>
    `${inputs.stackDir}#cluster/${inputs.clusterName}/${component}`;

function paths(inputs: ClusterInputs) {
    const workdir = path.join(inputs.stackDir, "kwok");
    return {
        workdir,
        dir: path.join(workdir, "clusters", inputs.clusterName),
        config: path.join(workdir, `${inputs.clusterName}.kwokctl.yaml`),
    };
}

async function leasePorts(inputs: ClusterInputs): Promise<ComponentPorts> {
    const ports: Partial<ComponentPorts> = {};
    for (const component of COMPONENT_PORTS) {
        ports[component] = await acquireLease(inputs.leaseDir, CLUSTER_PORTS, {
            owner: leaseOwner(inputs, component),
            cluster: `${inputs.clusterName}-${component}`,
            host: "127.0.0.1",
        });
    }
    return ports as ComponentPorts;
}

function releasePorts(inputs: ClusterInputs, ports: Partial<ComponentPorts>): void {
    for (const component of COMPONENT_PORTS) {
        const port = ports[component];
        if (port !== undefined) {
            releaseLease(inputs.leaseDir, port, leaseOwner(inputs, component));
        }
    }
}

/** kubectl against the cluster, with kwokctl's kubeconfig and a cache inside the cluster folder. */
function kubectl(dir: string, args: string[], input?: string): Promise<string> {
    return run(
        resolveTool("kubectl"),
        [
            "--kubeconfig",
            path.join(dir, "kubeconfig.yaml"),
            "--cache-dir",
            path.join(dir, "kubectl-cache"),
            ...args,
        ],
        toolEnv(path.dirname(path.dirname(dir))), // the cluster folder is <workdir>/clusters/<name>
        input,
    );
}

async function applyNodes(inputs: ClusterInputs, dir: string, removed: string[]): Promise<void> {
    const manifests = nodeManifests(inputs.clusterName, inputs.nodes);
    await kubectl(
        dir,
        ["apply", "-f", "-"],
        JSON.stringify({ apiVersion: "v1", kind: "List", items: manifests }),
    );
    if (removed.length > 0) {
        await kubectl(dir, ["delete", "node", "--ignore-not-found", ...removed]);
    }
    await kubectl(dir, ["wait", "--for=condition=Ready", "node", "--all", "--timeout=120s"]);
}

/**
 * Stops every process of the cluster, removes its files and releases its ports. Exported, as
 * createCluster, for tests that need a cluster outside any stack (Boskos's storage).
 */
export async function removeCluster(inputs: ClusterInputs, ports: Partial<ComponentPorts>) {
    const p = paths(inputs);
    if (fs.existsSync(p.dir)) {
        await stopSupervisor(supervisorFiles(p.dir));
        // kwokctl insists on a kubeconfig to remove the cluster's context from: one that does
        // not exist, so that it touches none.
        const noKubeconfig = path.join(p.workdir, "no-kubeconfig");
        await run(
            resolveTool("kwokctl"),
            ["delete", "cluster", "--name", inputs.clusterName, "--kubeconfig", noKubeconfig],
            toolEnv(p.workdir),
        );
    }
    fs.rmSync(p.dir, { recursive: true, force: true });
    fs.rmSync(p.config, { force: true });
    // Clusters go in parallel: whichever empties a shared folder last removes it.
    removeEmptyParents(p.dir, inputs.stackDir);
    removeEmptyParents(p.config, inputs.stackDir);
    releasePorts(inputs, ports);
}

export async function createCluster(inputs: ClusterInputs): Promise<ClusterOutputs> {
    const p = paths(inputs);
    const kubeVersion = (await run(resolveTool("kube-apiserver"), ["--version"], process.env))
        .trim()
        .replace(/^Kubernetes /, "");
    let ports: Partial<ComponentPorts> = {};
    try {
        // What a cluster of the same name left (one that refresh found dead) goes first; its
        // port leases, held by the same owner, are reused.
        await removeCluster(inputs, {});
        ports = await leasePorts(inputs);
        fs.mkdirSync(p.workdir, { recursive: true, mode: 0o700 });
        fs.writeFileSync(
            p.config,
            kwokctlConfiguration(
                ports as ComponentPorts,
                clusterBinaries(),
                kubeVersion,
                kwokStages(),
            ),
            { mode: 0o600 },
        );
        await run(
            resolveTool("kwokctl"),
            [
                "create",
                "cluster",
                "--name",
                inputs.clusterName,
                "--config",
                p.config,
                "--kubeconfig",
                "",
            ],
            toolEnv(p.workdir),
        );
        // kwokctl starts the components once, and nothing restarts one that exits: they run
        // under the stack's supervisor instead, which outlives this provider process.
        await run(
            resolveTool("kwokctl"),
            ["stop", "cluster", "--name", inputs.clusterName],
            toolEnv(p.workdir),
        );
        const files = supervisorFiles(p.dir);
        startSupervisor(files, clusterProcesses(p.dir));
        await waitHealthy(p.dir, ports as ComponentPorts, files, HEALTHY_TIMEOUT_MS);
        await applyNodes(inputs, p.dir, []);
        await proveControllers(
            (args, input) => kubectl(p.dir, args, input),
            CONTROLLERS_TIMEOUT_MS,
        );
        const pki = (f: string) => fs.readFileSync(path.join(p.dir, "pki", f), "utf8");
        const server = `https://127.0.0.1:${ports.kubeApiserverPort}`;
        return {
            ...inputs,
            server,
            kubeconfig: adminKubeconfig(inputs.clusterName, server, {
                ca: pki("ca.crt"),
                cert: pki("admin.crt"),
                key: pki("admin.key"),
            }),
            ports: ports as ComponentPorts,
            kubeVersion,
            workdir: p.workdir,
            dir: p.dir,
            components: await clusterHealth(p.dir, ports as ComponentPorts, files),
        };
    } catch (err) {
        await removeCluster(inputs, ports).catch(() => undefined);
        throw err;
    }
}

const provider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: unknown, news: ClusterInputs) {
        const failures = [
            ...checkClusterName("clusterName", news.clusterName),
            ...validateNodePool("nodes", news.nodes),
        ].map((i) => ({ property: i.field, reason: i.message }));
        return { inputs: news, failures };
    },

    async diff(_id: string, olds: ClusterOutputs, news: ClusterInputs) {
        const replaces = changedKeys<ClusterInputs>(olds, news, [
            "stackDir",
            "clusterName",
            "leaseDir",
        ]);
        const nodesChanged = changedKeys<ClusterInputs>(olds, news, ["nodes"]).length > 0;
        // The old cluster goes first: its folder and name are the new one's.
        return {
            changes: replaces.length > 0 || nodesChanged,
            replaces,
            deleteBeforeReplace: true,
        };
    },

    async create(inputs: ClusterInputs) {
        const outs = await createCluster(inputs);
        return { id: `${inputs.clusterName}@${outs.server}`, outs };
    },

    /**
     * Only observes. A cluster whose supervisor is gone reads as deleted, so refresh drops it
     * and the next up creates it again (create first removes what is left of it). A running
     * one reads with each component's state, restarts and health.
     */
    async read(id: string, props: ClusterOutputs) {
        const files = supervisorFiles(props.dir);
        if (readSupervisor(files)?.alive !== true) {
            return {};
        }
        return {
            id,
            props: { ...props, components: await clusterHealth(props.dir, props.ports, files) },
        };
    },

    async update(_id: string, olds: ClusterOutputs, news: ClusterInputs) {
        const keep = new Set(
            nodeManifests(news.clusterName, news.nodes).map(
                (n) => (n as { metadata: { name: string } }).metadata.name,
            ),
        );
        const removed = nodeManifests(olds.clusterName, olds.nodes)
            .map((n) => (n as { metadata: { name: string } }).metadata.name)
            .filter((name) => !keep.has(name));
        await applyNodes(news, olds.dir, removed);
        return { outs: { ...olds, ...news } };
    },

    async delete(_id: string, props: ClusterOutputs) {
        await removeCluster(props, props.ports);
    },
};

/**
 * A local Kubernetes cluster: a real kube-apiserver, etcd, controller-manager and scheduler on
 * loopback, with kwok playing its nodes and their pods (pods run, Jobs' pods complete, a pod
 * labelled with FAILING_POD_LABEL fails). Its processes run under a supervisor that restarts
 * any that exits; it is created only once every component is healthy and its controllers have
 * run a Job. It never touches the user's kubeconfig.
 */
export class LocalCluster extends pulumi.dynamic.Resource {
    public readonly server!: pulumi.Output<string>;
    public readonly kubeconfig!: pulumi.Output<string>;
    public readonly ports!: pulumi.Output<ComponentPorts>;
    public readonly kubeVersion!: pulumi.Output<string>;
    public readonly dir!: pulumi.Output<string>;
    /** Each component's state, restart count and health (refresh updates them). */
    public readonly components!: pulumi.Output<Record<string, ComponentHealth>>;

    constructor(name: string, args: LocalClusterArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                ...args,
                leaseDir: args.leaseDir ?? CLUSTER_LEASE_DIR,
                server: undefined,
                kubeconfig: undefined,
                ports: undefined,
                kubeVersion: undefined,
                workdir: undefined,
                dir: undefined,
                components: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["kubeconfig"] }),
            "kwok",
            "LocalCluster",
        );
    }
}
