import { DEFAULT_MODEL } from "../../../providers/vcsim/model";
import { KeySpec } from "./spec";

/** local: the simulated vCenter (CAPV's VCenterSimulator spec.model) and its variables. */
export const SIMULATOR_SPECS = {
    vcsimVsphereVersion: {
        type: "string",
        default: DEFAULT_MODEL.vsphereVersion,
        description:
            "vSphere version the simulator reports (6.7.0, 6.7.3, 7.0.0 to 7.0.3, 8.0.0 to 8.0.3).",
        fills: "model.vsphereVersion",
    },
    vcsimDatacenters: {
        type: "integer",
        default: DEFAULT_MODEL.datacenters,
        description: "Datacenters (1-10).",
        fills: "model.datacenters",
    },
    vcsimClusters: {
        type: "integer",
        default: DEFAULT_MODEL.clusters,
        description: "Compute clusters per datacenter (1-10).",
        fills: "model.clusters",
    },
    vcsimHostsPerCluster: {
        type: "integer",
        default: DEFAULT_MODEL.hostsPerCluster,
        description: "Hosts per cluster (1-32).",
        fills: "model.hostsPerCluster",
    },
    vcsimResourcePools: {
        type: "integer",
        default: DEFAULT_MODEL.resourcePools,
        description: "Extra resource pools per cluster (0-10).",
        fills: "model.resourcePools",
    },
    vcsimDatastores: {
        type: "integer",
        default: DEFAULT_MODEL.datastores,
        description: "Datastores per datacenter (1-10).",
        fills: "model.datastores",
    },
    vcsimInventoryNames: {
        type: "string",
        default: DEFAULT_MODEL.inventoryNames,
        description:
            "Inventory names: vmc (SDDC-Datacenter, Cluster-1, WorkloadDatastore, sddc-cgw-network-1, Compute-ResourcePool, Workloads) or vcsim (DC0, DC0_C0, LocalDS_0, VM Network).",
        fills: "model.inventoryNames",
    },
    vcsimTemplates: {
        type: "array",
        default: DEFAULT_MODEL.templates,
        description:
            "Machine templates created in every datacenter and imported into the content library.",
        fills: "model.templates",
    },
    vcsimContentLibrary: {
        type: "string",
        default: DEFAULT_MODEL.contentLibrary,
        description: "Content library holding the machine templates.",
        fills: "model.contentLibrary",
    },
    envVarMode: {
        type: "string",
        default: "govmomi",
        description: "Variables for CAPV in govmomi or supervisor mode.",
        fills: "cluster.mode",
    },
    controlPlaneEndpointPorts: {
        type: "string",
        default: "20000-24000",
        description: "Ports control-plane endpoints are leased from (MIN-MAX within 20000-24000).",
    },
} satisfies Record<string, KeySpec>;
