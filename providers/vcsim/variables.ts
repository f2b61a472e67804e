import * as path from "path";
import { checkDnsLabel, checkInteger, checkOneOf, checkPattern, Issue } from "../validation";
import { Inventory } from "./inventory";
import { SimulatorModel } from "./model";

/** Which cluster-template flavour the variables are for, as CAPV's vcsim controller modes. */
export type EnvVarMode = "govmomi" | "supervisor";
export const ENV_VAR_MODES: readonly EnvVarMode[] = ["govmomi", "supervisor"];

export type PowerOffMode = "hard" | "soft" | "trySoft";
export const POWER_OFF_MODES: readonly PowerOffMode[] = ["hard", "soft", "trySoft"];

/** The workload cluster the variables describe (CAPV's EnvVar `spec.cluster`). */
export interface ClusterSpec {
    name: string;
    namespace: string;
    /** Defaults to v1.28.0. */
    kubernetesVersion: string;
    /** Defaults to 1. */
    controlPlaneMachines: number;
    /** Defaults to 1. */
    workerMachines: number;
    /** Index of the datacenter to place the cluster in. Defaults to 0. */
    datacenter: number;
    /** Index of the compute cluster within that datacenter. Defaults to 0. */
    cluster: number;
    /** Index of the datastore within that datacenter. Defaults to 0. */
    datastore: number;
    /** Defaults to trySoft. */
    powerOffMode: PowerOffMode;
}

/** What a client needs to reach the simulator (CAPV's VCenterSimulator status). */
export interface SimulatorAccess {
    /** host:port */
    server: string;
    username: string;
    password: string;
    thumbprint: string;
    inventory: Inventory;
}

export interface Endpoint {
    host: string;
    port: number;
}

/** Names the supervisor-mode variables refer to (VMOperatorDependencies' first entries). */
export interface SupervisorDefaults {
    storageClass: string;
    machineClass: string;
}

export const SUPERVISOR_DEFAULTS: SupervisorDefaults = {
    storageClass: "vcsim-default-storage-class",
    machineClass: "vcsim-default-vm-class",
};

/** The storage policy vcsim's PBM endpoint serves by default. */
export const DEFAULT_STORAGE_POLICY = "vSAN Default Storage Policy";

/** The machine template for a Kubernetes version: the one whose name ends with it. */
export function templateFor(templates: string[], kubernetesVersion: string): string | undefined {
    return templates.find((t) => t.endsWith(`-${kubernetesVersion}`));
}

/** Every rule the cluster breaks on its own; empty when it is usable. */
export function validateClusterSpec(cluster: ClusterSpec): Issue[] {
    return [
        ...checkDnsLabel("name", cluster.name),
        ...checkDnsLabel("namespace", cluster.namespace),
        ...checkPattern(
            "kubernetesVersion",
            cluster.kubernetesVersion,
            /^v\d+\.\d+\.\d+$/,
            "a version such as v1.28.0",
        ),
        ...checkInteger("controlPlaneMachines", cluster.controlPlaneMachines, 1, 9),
        ...checkInteger("workerMachines", cluster.workerMachines, 0, 100),
        ...checkOneOf("powerOffMode", cluster.powerOffMode, POWER_OFF_MODES),
    ];
}

/** Every rule the cluster breaks placed on the simulator `model` in `mode`. */
export function validateClusterPlacement(
    cluster: ClusterSpec,
    model: SimulatorModel,
    mode: EnvVarMode,
): Issue[] {
    const lastIndex = (count: number) => Math.max(count - 1, 0);
    const issues = [
        ...checkInteger("datacenter", cluster.datacenter, 0, lastIndex(model.datacenters)),
        ...checkInteger("cluster", cluster.cluster, 0, lastIndex(model.clusters)),
        ...checkInteger("datastore", cluster.datastore, 0, lastIndex(model.datastores)),
        ...checkOneOf("mode", mode, ENV_VAR_MODES),
    ];
    const templates = Array.isArray(model.templates) ? model.templates : [];
    if (
        mode === "govmomi" &&
        templates.length > 0 &&
        !templateFor(templates, cluster.kubernetesVersion)
    ) {
        issues.push({
            field: "kubernetesVersion",
            message: `has no machine template: no template name ends in -${cluster.kubernetesVersion}`,
        });
    }
    return issues;
}

/**
 * The variables cluster templates consume, as CAPV's vcsim controller produces them (the
 * common set, the simulator's, and those of the mode), with two fixes: VSPHERE_FOLDER is an
 * absolute path, and supervisor mode also has the datacenter and network its template needs.
 */
export function clusterVariables(
    mode: EnvVarMode,
    cluster: ClusterSpec,
    endpoint: Endpoint,
    simulator: SimulatorAccess,
    sshAuthorizedKey: string,
): Record<string, string> {
    const dc = simulator.inventory.datacenters[cluster.datacenter];
    if (dc === undefined) {
        throw new Error(`cluster.datacenter ${cluster.datacenter} is not in the simulator`);
    }
    const templates = dc.templates.map((t) => path.posix.basename(t));
    const common: Record<string, string> = {
        VSPHERE_SSH_AUTHORIZED_KEY: sshAuthorizedKey,
        NAMESPACE: cluster.namespace,
        CLUSTER_NAME: cluster.name,
        KUBERNETES_VERSION: cluster.kubernetesVersion,
        CONTROL_PLANE_MACHINE_COUNT: String(cluster.controlPlaneMachines),
        WORKER_MACHINE_COUNT: String(cluster.workerMachines),
        CONTROL_PLANE_ENDPOINT_IP: endpoint.host,
        CONTROL_PLANE_ENDPOINT_PORT: String(endpoint.port),
        VSPHERE_POWER_OFF_MODE: cluster.powerOffMode,
        VSPHERE_SERVER: `https://${simulator.server}`,
        VSPHERE_USERNAME: simulator.username,
        VSPHERE_PASSWORD: simulator.password,
        VSPHERE_TLS_THUMBPRINT: simulator.thumbprint,
        VSPHERE_STORAGE_POLICY: DEFAULT_STORAGE_POLICY,
        GOVC_URL: govcUrl(simulator),
        GOVC_INSECURE: "true",
    };
    if (mode === "supervisor") {
        return {
            ...common,
            // Beyond CAPV's vcsim controller: CAPV's supervisor template configures the CSI driver with them
            // (csi-vsphere.conf: `datacenters`, and `public-network`, a network's name).
            VSPHERE_DATACENTER: dc.name,
            VSPHERE_NETWORK: path.posix.basename(dc.network),
            VSPHERE_STORAGE_CLASS: SUPERVISOR_DEFAULTS.storageClass,
            VSPHERE_MACHINE_CLASS_NAME: SUPERVISOR_DEFAULTS.machineClass,
            VSPHERE_IMAGE_NAME: templates[0],
        };
    }
    const compute = dc.clusters[cluster.cluster];
    const datastore = dc.datastores[cluster.datastore];
    if (compute === undefined || datastore === undefined) {
        throw new Error(`cluster.cluster or cluster.datastore is not in datacenter ${dc.name}`);
    }
    const template = templateFor(templates, cluster.kubernetesVersion);
    if (template === undefined) {
        throw new Error(`no machine template for Kubernetes ${cluster.kubernetesVersion}`);
    }
    return {
        ...common,
        VSPHERE_DATACENTER: dc.name,
        VSPHERE_DATASTORE: path.posix.basename(datastore),
        // Absolute: CAPV's finder, with the datacenter set, does not find the `DC0/vm` form of CAPV's vcsim controller
        // of a folder below the datacenter's vm folder (`SDDC-Datacenter/vm/Workloads`).
        VSPHERE_FOLDER: dc.folder,
        VSPHERE_NETWORK: dc.network,
        VSPHERE_RESOURCE_POOL: compute.resourcePool,
        VSPHERE_TEMPLATE: `${dc.folder}/${template}`,
    };
}

/** govc's URL for the simulator, credentials included (on loopback, as CAPV's vcsim controller's). */
export function govcUrl(simulator: Pick<SimulatorAccess, "server" | "username" | "password">) {
    const user = `${encodeURIComponent(simulator.username)}:${encodeURIComponent(simulator.password)}`;
    return `https://${user}@${simulator.server}/sdk`;
}

/** A `.env` file of `export K="V"` lines, as CAPV's vcsim.sh writes, safe to `source`. */
export function renderEnvFile(variables: Record<string, string>): string {
    return Object.entries(variables)
        .map(([k, v]) => `export ${k}="${v.replace(/["\\$`]/g, (c) => `\\${c}`)}"\n`)
        .join("");
}
