import {
    ClusterSpec,
    clusterVariables,
    DEFAULT_MODEL,
    EnvVarMode,
    INVENTORY_NAMES,
    planInventory,
} from "../../../providers/vcsim";

/**
 * Every `${VAR}` without a default (`${VAR:=default}`) in CAPV's cluster templates, from
 * kubernetes-sigs/cluster-api-provider-vsphere: `templates/cluster-template.yaml` (govmomi) and
 * `templates/cluster-template-supervisor.yaml` (supervisor). The lists are the same at v1.11.0-rc.0
 * (the release docs/upstream.md read, both files last changed in 7d5c3a2c3) and at f2825445b (2026-06-30, the
 * newest change to both).
 */
const IN_BOTH = [
    "CLUSTER_NAME",
    "CONTROL_PLANE_ENDPOINT_IP",
    "CONTROL_PLANE_MACHINE_COUNT",
    "CPI_IMAGE_K8S_VERSION",
    "KUBERNETES_VERSION",
    "NAMESPACE",
    "VSPHERE_DATACENTER",
    "VSPHERE_NETWORK",
    "VSPHERE_PASSWORD",
    "VSPHERE_SERVER",
    "VSPHERE_SSH_AUTHORIZED_KEY",
    "VSPHERE_TLS_THUMBPRINT",
    "VSPHERE_USERNAME",
    "WORKER_MACHINE_COUNT",
];
const TEMPLATE_VARIABLES: Record<EnvVarMode, string[]> = {
    govmomi: [
        ...IN_BOTH,
        "VSPHERE_DATASTORE",
        "VSPHERE_FOLDER",
        "VSPHERE_RESOURCE_POOL",
        "VSPHERE_STORAGE_POLICY",
        "VSPHERE_TEMPLATE",
    ],
    supervisor: [
        ...IN_BOTH,
        "VSPHERE_IMAGE_NAME",
        "VSPHERE_MACHINE_CLASS_NAME",
        "VSPHERE_STORAGE_CLASS",
    ],
};

/** Set by CAPV's e2e configuration (test/e2e/config/vsphere.yaml), not by the env file. */
const FROM_E2E_CONFIG = ["CPI_IMAGE_K8S_VERSION"];

const cluster: ClusterSpec = {
    name: "cluster1",
    namespace: "default",
    kubernetesVersion: "v1.28.0",
    controlPlaneMachines: 1,
    workerMachines: 1,
    datacenter: 0,
    cluster: 0,
    datastore: 0,
    powerOffMode: "trySoft",
};

describe.each(Object.keys(TEMPLATE_VARIABLES) as EnvVarMode[])(
    "CAPV's %s cluster template",
    (mode) => {
        it.each(INVENTORY_NAMES)(
            "gets every variable it needs from the env file (%s names)",
            (names) => {
                const vars = clusterVariables(
                    mode,
                    cluster,
                    { host: "127.0.0.1", port: 20001 },
                    {
                        server: "127.0.0.1:40443",
                        username: "administrator@vsphere.local",
                        password: "p",
                        thumbprint: Array(32).fill("AB").join(":"),
                        inventory: planInventory({ ...DEFAULT_MODEL, inventoryNames: names }),
                    },
                    "ssh-rsa AAAA key",
                );
                const unset = TEMPLATE_VARIABLES[mode].filter(
                    (v) => !FROM_E2E_CONFIG.includes(v) && !vars[v],
                );
                expect(unset).toEqual([]);
            },
        );
    },
);
