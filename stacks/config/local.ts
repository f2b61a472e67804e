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
import { fieldKeys } from "./keys";
import { readProw } from "./prow";
import { Reader } from "./reader";
import { CommonSettings, LocalSettings } from "./types";

const MODEL_KEYS = fieldKeys("model");
const CLUSTER_KEYS = fieldKeys("cluster");

/** The workload cluster, checked on its own (its placement depends on the composition). */
export function readCluster(reader: Reader): ClusterSpec {
    const cluster: ClusterSpec = {
        name: reader.get("clusterName"),
        namespace: reader.get("clusterNamespace"),
        kubernetesVersion: reader.get("kubernetesVersion"),
        controlPlaneMachines: reader.get("controlPlaneMachineCount"),
        workerMachines: reader.get("workerMachineCount"),
        datacenter: reader.get("clusterDatacenter"),
        cluster: reader.get("clusterComputeCluster"),
        datastore: reader.get("clusterDatastore"),
        powerOffMode: reader.get("powerOffMode") as PowerOffMode,
    };
    reader.report(validateClusterSpec(cluster), CLUSTER_KEYS);
    return cluster;
}

export function readLocal(reader: Reader, common: CommonSettings): LocalSettings {
    const simulator: SimulatorModel = {
        vsphereVersion: reader.get("vcsimVsphereVersion"),
        datacenters: reader.get("vcsimDatacenters"),
        clusters: reader.get("vcsimClusters"),
        hostsPerCluster: reader.get("vcsimHostsPerCluster"),
        resourcePools: reader.get("vcsimResourcePools"),
        datastores: reader.get("vcsimDatastores"),
        inventoryNames: reader.get("vcsimInventoryNames") as SimulatorModel["inventoryNames"],
        templates: reader.get("vcsimTemplates"),
        contentLibrary: reader.get("vcsimContentLibrary"),
    };
    const envVarMode = reader.get("envVarMode") as EnvVarMode;
    const ports = parsePortRange(
        "controlPlaneEndpointPorts",
        reader.get("controlPlaneEndpointPorts"),
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
