import { checkInteger, checkOneOf, checkPattern, Issue } from "../validation";

/** Inventory naming: VMC's (what CI targets) or vcsim's own (DC0, DC0_C0, LocalDS_0, ...). */
export type InventoryNames = "vmc" | "vcsim";
export const INVENTORY_NAMES: readonly InventoryNames[] = ["vmc", "vcsim"];

/** The simulated vCenter, as CAPV's VCenterSimulator `spec.model` plus what CAPV needs. */
export interface SimulatorModel {
    /** vSphere version the simulator reports (About.Version). Defaults to 7.0.0. */
    vsphereVersion: string;
    /** Datacenters. Defaults to 1. */
    datacenters: number;
    /** Clusters per datacenter. Defaults to 1. */
    clusters: number;
    /** Hosts per cluster. Defaults to 3. */
    hostsPerCluster: number;
    /** Extra resource pools per cluster. Defaults to 0. */
    resourcePools: number;
    /** Datastores per datacenter. Defaults to 1. */
    datastores: number;
    /** Inventory naming. Defaults to vmc. */
    inventoryNames: InventoryNames;
    /** Machine templates created in every datacenter and imported into the content library. */
    templates: string[];
    /** Content library holding the templates. Defaults to vcsim. */
    contentLibrary: string;
}

export const DEFAULT_MODEL: SimulatorModel = {
    vsphereVersion: "7.0.0",
    datacenters: 1,
    clusters: 1,
    hostsPerCluster: 3,
    resourcePools: 0,
    datastores: 1,
    inventoryNames: "vmc",
    templates: ["ubuntu-2204-kube-v1.28.0", "ubuntu-2204-kube-v1.29.0", "ubuntu-2204-kube-v1.30.0"],
    contentLibrary: "vcsim",
};

/** vSphere releases the simulator can stand in for, with the API version each one speaks. */
export const API_VERSIONS: Readonly<Record<string, string>> = {
    "6.7.0": "6.7",
    "6.7.3": "6.7.3",
    "7.0.0": "7.0",
    "7.0.1": "7.0.1.0",
    "7.0.2": "7.0.2.0",
    "7.0.3": "7.0.3.0",
    "8.0.0": "8.0.0.0",
    "8.0.1": "8.0.1.0",
    "8.0.2": "8.0.2.0",
    "8.0.3": "8.0.3.0",
};

/** Names vSphere accepts for inventory objects that CAPV addresses by path. */
const OBJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
const OBJECT_NAME_RULE = "a name of letters, digits, '.', '_' and '-' (at most 80)";

/** Every rule the model breaks; empty when it is usable. */
export function validateModel(model: SimulatorModel): Issue[] {
    const issues = [
        ...checkOneOf("vsphereVersion", model.vsphereVersion, Object.keys(API_VERSIONS)),
        ...checkInteger("datacenters", model.datacenters, 1, 10),
        ...checkInteger("clusters", model.clusters, 1, 10),
        ...checkInteger("hostsPerCluster", model.hostsPerCluster, 1, 32),
        ...checkInteger("resourcePools", model.resourcePools, 0, 10),
        ...checkInteger("datastores", model.datastores, 1, 10),
        ...checkOneOf("inventoryNames", model.inventoryNames, INVENTORY_NAMES),
        ...checkPattern("contentLibrary", model.contentLibrary, OBJECT_NAME, OBJECT_NAME_RULE),
    ];
    if (!Array.isArray(model.templates) || model.templates.length === 0) {
        issues.push({ field: "templates", message: "must list at least one machine template" });
    } else {
        model.templates.forEach((t, i) =>
            issues.push(...checkPattern(`templates[${i}]`, t, OBJECT_NAME, OBJECT_NAME_RULE)),
        );
        if (new Set(model.templates).size !== model.templates.length) {
            issues.push({ field: "templates", message: "must not list a template twice" });
        }
    }
    return issues;
}

export function apiVersion(vsphereVersion: string): string {
    const api = API_VERSIONS[vsphereVersion];
    if (api === undefined) {
        throw new Error(`unknown vSphere version ${vsphereVersion}`);
    }
    return api;
}
