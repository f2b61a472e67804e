import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_MODEL, SimulatorModel, validateModel } from "../providers/vcsim/model";
import { parsePortRange, PortRange } from "../providers/vcsim/ports";
import {
    ClusterSpec,
    EnvVarMode,
    PowerOffMode,
    validateClusterPlacement,
    validateClusterSpec,
} from "../providers/vcsim/variables";
import { checkOneOf, checkPattern, formatIssues, Issue } from "../providers/validation";

/** The project name, which namespaces every configuration key (`k8s-ci-envs:<key>`). */
export const PROJECT = "k8s-ci-envs";

export type Composition = "local" | "ci";
export const COMPOSITIONS: readonly Composition[] = ["local", "ci"];

/** Settings every composition shares. */
interface CommonSettings {
    stack: string;
    /** The stack's folder: everything the stack writes to disk lives under it. */
    stackDir: string;
    cluster: ClusterSpec;
}

/** The `local` composition: a simulated vCenter standing in for VMC. */
export interface LocalSettings extends CommonSettings {
    composition: "local";
    simulator: SimulatorModel;
    envVarMode: EnvVarMode;
    endpointPorts: PortRange;
    /** Machine-wide folder of control-plane endpoint port leases. */
    leaseDir: string;
}

/** The vCenter the `ci` composition targets (VMC), as DESIGN's VCenterConnection. */
export interface VCenterSettings {
    server: string;
    username: string;
    password: pulumi.Output<string>;
    thumbprint: string;
    datacenter: string;
    datastore: string;
    network: string;
    folder: string;
    resourcePool: string;
    template: string;
}

/** The `ci` composition: the real places (VMC; GCP and Prow's clusters come with their components). */
export interface CiSettings extends CommonSettings {
    composition: "ci";
    vcenter: VCenterSettings;
}

export type StackSettings = LocalSettings | CiSettings;

/** Raw configuration: the string value of a key of this project, if set. */
export interface ConfigSource {
    get(key: string): string | undefined;
    getSecret(key: string): pulumi.Output<string> | undefined;
}

/** The defaults, as declared in Pulumi.yaml's `config` block (a unit test keeps them equal). */
export const DEFAULTS = {
    composition: "local",
    outputDir: "out",
    vcsimVsphereVersion: DEFAULT_MODEL.vsphereVersion,
    vcsimDatacenters: DEFAULT_MODEL.datacenters,
    vcsimClusters: DEFAULT_MODEL.clusters,
    vcsimHostsPerCluster: DEFAULT_MODEL.hostsPerCluster,
    vcsimResourcePools: DEFAULT_MODEL.resourcePools,
    vcsimDatastores: DEFAULT_MODEL.datastores,
    vcsimInventoryNames: DEFAULT_MODEL.inventoryNames,
    vcsimTemplates: DEFAULT_MODEL.templates,
    vcsimContentLibrary: DEFAULT_MODEL.contentLibrary,
    envVarMode: "govmomi",
    controlPlaneEndpointPorts: "20000-24000",
    clusterName: "cluster1",
    clusterNamespace: "default",
    kubernetesVersion: "v1.28.0",
    controlPlaneMachineCount: 1,
    workerMachineCount: 1,
    powerOffMode: "trySoft",
    clusterDatacenter: 0,
    clusterComputeCluster: 0,
    clusterDatastore: 0,
    vsphereServer: "",
    vsphereUsername: "",
    vsphereTlsThumbprint: "",
    vsphereDatacenter: "SDDC-Datacenter",
    vsphereDatastore: "WorkloadDatastore",
    vsphereNetwork: "sddc-cgw-network-5",
    vsphereFolder: "clusterapi",
    vsphereResourcePool: "clusterapi",
    vsphereTemplate: "ubuntu-2204-kube-v1.28.0",
};

/** Configuration keys that hold credentials: set them with `pulumi config set --secret`. */
export const SECRET_KEYS = ["vspherePassword"];

/** Which model field each `vcsim*` key sets. */
const MODEL_KEYS: Record<keyof SimulatorModel, string> = {
    vsphereVersion: "vcsimVsphereVersion",
    datacenters: "vcsimDatacenters",
    clusters: "vcsimClusters",
    hostsPerCluster: "vcsimHostsPerCluster",
    resourcePools: "vcsimResourcePools",
    datastores: "vcsimDatastores",
    inventoryNames: "vcsimInventoryNames",
    templates: "vcsimTemplates",
    contentLibrary: "vcsimContentLibrary",
};

/** Which cluster field each key sets (`envVarMode` sets the mode the cluster is checked in). */
const CLUSTER_KEYS: Record<keyof ClusterSpec | "mode", string> = {
    name: "clusterName",
    namespace: "clusterNamespace",
    kubernetesVersion: "kubernetesVersion",
    controlPlaneMachines: "controlPlaneMachineCount",
    workerMachines: "workerMachineCount",
    powerOffMode: "powerOffMode",
    datacenter: "clusterDatacenter",
    cluster: "clusterComputeCluster",
    datastore: "clusterDatastore",
    mode: "envVarMode",
};

/** Renames the leading field of each issue to the configuration key that sets it. */
function asKeys(issues: Issue[], keys: Record<string, string>): Issue[] {
    return issues.map((i) => ({ ...i, field: i.field.replace(/^\w+/, (f) => keys[f] ?? f) }));
}

/** SHA-256 colon-hex, as vSphere shows certificate thumbprints. */
const THUMBPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** Reads keys with their defaults, collecting an issue for every value of the wrong form. */
class Reader {
    readonly issues: Issue[] = [];

    constructor(private readonly source: ConfigSource) {}

    text(key: keyof typeof DEFAULTS): string {
        return this.source.get(key) ?? String(DEFAULTS[key]);
    }

    integer(key: keyof typeof DEFAULTS): number {
        const raw = this.source.get(key);
        if (raw === undefined) {
            return DEFAULTS[key] as number;
        }
        if (!/^-?\d+$/.test(raw.trim())) {
            this.issues.push({
                field: key,
                message: `must be an integer; got ${JSON.stringify(raw)}`,
            });
            return NaN;
        }
        return Number(raw);
    }

    list(key: keyof typeof DEFAULTS): string[] {
        const raw = this.source.get(key);
        if (raw === undefined) {
            return [...(DEFAULTS[key] as string[])];
        }
        try {
            const value = JSON.parse(raw);
            if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
                return value;
            }
        } catch {
            // reported below
        }
        this.issues.push({ field: key, message: `must be a list of strings; got ${raw}` });
        return [];
    }
}

/** Throws one error that names every offending key, as `k8s-ci-envs:<key> <rule>`. */
function fail(issues: Issue[]): never {
    const lines = formatIssues(issues, (field) => `${PROJECT}:${field}`);
    throw new pulumi.RunError(`invalid configuration:\n${lines}`);
}

function readCluster(reader: Reader): ClusterSpec {
    return {
        name: reader.text("clusterName"),
        namespace: reader.text("clusterNamespace"),
        kubernetesVersion: reader.text("kubernetesVersion"),
        controlPlaneMachines: reader.integer("controlPlaneMachineCount"),
        workerMachines: reader.integer("workerMachineCount"),
        datacenter: reader.integer("clusterDatacenter"),
        cluster: reader.integer("clusterComputeCluster"),
        datastore: reader.integer("clusterDatastore"),
        powerOffMode: reader.text("powerOffMode") as PowerOffMode,
    };
}

function readLocal(reader: Reader, common: CommonSettings): LocalSettings {
    const simulator: SimulatorModel = {
        vsphereVersion: reader.text("vcsimVsphereVersion"),
        datacenters: reader.integer("vcsimDatacenters"),
        clusters: reader.integer("vcsimClusters"),
        hostsPerCluster: reader.integer("vcsimHostsPerCluster"),
        resourcePools: reader.integer("vcsimResourcePools"),
        datastores: reader.integer("vcsimDatastores"),
        inventoryNames: reader.text("vcsimInventoryNames") as SimulatorModel["inventoryNames"],
        templates: reader.list("vcsimTemplates"),
        contentLibrary: reader.text("vcsimContentLibrary"),
    };
    const envVarMode = reader.text("envVarMode") as EnvVarMode;
    const ports = parsePortRange(
        "controlPlaneEndpointPorts",
        reader.text("controlPlaneEndpointPorts"),
    );
    reader.issues.push(
        ...asKeys(validateModel(simulator), MODEL_KEYS),
        ...asKeys(validateClusterPlacement(common.cluster, simulator, envVarMode), CLUSTER_KEYS),
        ...ports.issues,
    );
    return {
        ...common,
        composition: "local",
        simulator,
        envVarMode,
        endpointPorts: ports.range ?? { min: 0, max: 0 },
        leaseDir: path.join(os.tmpdir(), PROJECT, "endpoint-ports"),
    };
}

function readCi(reader: Reader, source: ConfigSource, common: CommonSettings): CiSettings {
    const vcenter = {
        server: reader.text("vsphereServer"),
        username: reader.text("vsphereUsername"),
        thumbprint: reader.text("vsphereTlsThumbprint"),
        datacenter: reader.text("vsphereDatacenter"),
        datastore: reader.text("vsphereDatastore"),
        network: reader.text("vsphereNetwork"),
        folder: reader.text("vsphereFolder"),
        resourcePool: reader.text("vsphereResourcePool"),
        template: reader.text("vsphereTemplate"),
    };
    const required = (key: string, value: string): Issue[] =>
        value === "" ? [{ field: key, message: "is required when composition is ci" }] : [];
    const password = source.getSecret("vspherePassword");
    reader.issues.push(
        ...required("vsphereServer", vcenter.server),
        ...(vcenter.server === ""
            ? []
            : checkPattern(
                  "vsphereServer",
                  vcenter.server,
                  /^[A-Za-z0-9.-]+(:\d+)?$/,
                  "a host name or host:port",
              )),
        ...required("vsphereUsername", vcenter.username),
        ...(password === undefined
            ? [
                  {
                      field: "vspherePassword",
                      message: "is required when composition is ci (set it with --secret)",
                  },
              ]
            : []),
        ...(vcenter.thumbprint === ""
            ? required("vsphereTlsThumbprint", vcenter.thumbprint)
            : checkPattern(
                  "vsphereTlsThumbprint",
                  vcenter.thumbprint,
                  THUMBPRINT,
                  "a SHA-256 thumbprint (AB:CD:... 32 uppercase hex pairs)",
              )),
    );
    for (const key of [
        "vsphereDatacenter",
        "vsphereDatastore",
        "vsphereNetwork",
        "vsphereFolder",
        "vsphereResourcePool",
        "vsphereTemplate",
    ] as const) {
        reader.issues.push(...required(key, reader.text(key)));
    }
    return {
        ...common,
        composition: "ci",
        vcenter: { ...vcenter, password: password ?? pulumi.output("") },
    };
}

/**
 * Reads and validates the whole configuration of `stack` rooted at `rootDir`. Every key is
 * checked before any resource exists; one error lists each offending key and its rule.
 */
export function readSettings(source: ConfigSource, stack: string, rootDir: string): StackSettings {
    const reader = new Reader(source);
    const composition = reader.text("composition") as Composition;
    const compositionIssues = checkOneOf("composition", composition, COMPOSITIONS);
    const cluster = readCluster(reader);
    reader.issues.push(...compositionIssues, ...asKeys(validateClusterSpec(cluster), CLUSTER_KEYS));
    const common: CommonSettings = {
        stack,
        stackDir: path.resolve(rootDir, reader.text("outputDir"), stack),
        cluster,
    };
    const settings =
        composition === "ci" ? readCi(reader, source, common) : readLocal(reader, common);
    if (reader.issues.length > 0) {
        fail(reader.issues);
    }
    return settings;
}

/** The settings of the running stack. */
export function loadSettings(): StackSettings {
    return readSettings(new pulumi.Config(PROJECT), pulumi.getStack(), pulumi.getRootDirectory());
}
