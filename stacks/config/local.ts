import { SimulatorModel, validateModel } from "../../providers/vcsim/model";
import { MACHINE_LEASE_DIR } from "../../providers/ports/leases";
import { parsePortRange } from "../../providers/vcsim/ports";
import {
    ClusterSpec,
    EnvVarMode,
    PowerOffMode,
    validateClusterPlacement,
    validateClusterSpec,
} from "../../providers/vcsim/variables";
import { readProw } from "./prow";
import { Reader } from "./reader";
import { CommonSettings, LocalSettings } from "./types";

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

/** The workload cluster, checked on its own (its placement depends on the composition). */
export function readCluster(reader: Reader): ClusterSpec {
    const cluster: ClusterSpec = {
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
    reader.report(validateClusterSpec(cluster), CLUSTER_KEYS);
    return cluster;
}

export function readLocal(reader: Reader, common: CommonSettings): LocalSettings {
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
    reader.report(validateModel(simulator), MODEL_KEYS);
    reader.report(validateClusterPlacement(common.cluster, simulator, envVarMode), CLUSTER_KEYS);
    reader.report(ports.issues);
    return {
        ...common,
        composition: "local",
        simulator,
        envVarMode,
        endpointPorts: ports.range ?? { min: 0, max: 0 },
        leaseDir: MACHINE_LEASE_DIR,
        prow: readProw(reader),
    };
}
