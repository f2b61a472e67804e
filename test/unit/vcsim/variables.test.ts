import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    ClusterSpec,
    clusterVariables,
    DEFAULT_MODEL,
    govcUrl,
    planInventory,
    renderEnvFile,
    SimulatorAccess,
} from "../../../providers/vcsim";

const cluster: ClusterSpec = {
    name: "cluster1",
    namespace: "default",
    kubernetesVersion: "v1.29.0",
    controlPlaneMachines: 3,
    workerMachines: 2,
    datacenter: 0,
    cluster: 0,
    datastore: 0,
    powerOffMode: "trySoft",
};

const simulator: SimulatorAccess = {
    server: "127.0.0.1:36401",
    username: "administrator@vsphere.local",
    password: 's3cr$t"`x\\',
    thumbprint: Array(32).fill("AB").join(":"),
    inventory: planInventory(DEFAULT_MODEL),
};

const endpoint = { host: "127.0.0.1", port: 20042 };
const COMMON = [
    "VSPHERE_SSH_AUTHORIZED_KEY",
    "NAMESPACE",
    "CLUSTER_NAME",
    "KUBERNETES_VERSION",
    "CONTROL_PLANE_MACHINE_COUNT",
    "WORKER_MACHINE_COUNT",
    "CONTROL_PLANE_ENDPOINT_IP",
    "CONTROL_PLANE_ENDPOINT_PORT",
    "VSPHERE_POWER_OFF_MODE",
    "VSPHERE_SERVER",
    "VSPHERE_USERNAME",
    "VSPHERE_PASSWORD",
    "VSPHERE_TLS_THUMBPRINT",
    "VSPHERE_STORAGE_POLICY",
    "GOVC_URL",
    "GOVC_INSECURE",
];

describe("clusterVariables", () => {
    it("in govmomi mode is exactly CAPV's vcsim controller's common, simulator and govmomi sets", () => {
        const vars = clusterVariables("govmomi", cluster, endpoint, simulator, "ssh-rsa AAAA key");
        expect(Object.keys(vars).sort()).toEqual(
            [
                ...COMMON,
                "VSPHERE_DATACENTER",
                "VSPHERE_DATASTORE",
                "VSPHERE_FOLDER",
                "VSPHERE_NETWORK",
                "VSPHERE_RESOURCE_POOL",
                "VSPHERE_TEMPLATE",
            ].sort(),
        );
        expect(vars).toMatchObject({
            CLUSTER_NAME: "cluster1",
            KUBERNETES_VERSION: "v1.29.0",
            CONTROL_PLANE_MACHINE_COUNT: "3",
            WORKER_MACHINE_COUNT: "2",
            CONTROL_PLANE_ENDPOINT_IP: "127.0.0.1",
            CONTROL_PLANE_ENDPOINT_PORT: "20042",
            VSPHERE_SERVER: "https://127.0.0.1:36401",
            VSPHERE_STORAGE_POLICY: "vSAN Default Storage Policy",
            GOVC_INSECURE: "true",
            VSPHERE_DATACENTER: "SDDC-Datacenter",
            VSPHERE_DATASTORE: "WorkloadDatastore",
            VSPHERE_FOLDER: "/SDDC-Datacenter/vm/Workloads",
            VSPHERE_NETWORK: "/SDDC-Datacenter/network/sddc-cgw-network-1",
            VSPHERE_RESOURCE_POOL: "/SDDC-Datacenter/host/Cluster-1/Resources/Compute-ResourcePool",
            VSPHERE_TEMPLATE: "/SDDC-Datacenter/vm/Workloads/ubuntu-2204-kube-v1.29.0",
        });
    });

    it("with vcsim's names has the values of CAPV's vcsim controller", () => {
        const vcsimNamed = {
            ...simulator,
            inventory: planInventory({ ...DEFAULT_MODEL, inventoryNames: "vcsim" }),
        };
        const vars = clusterVariables(
            "govmomi",
            { ...cluster, kubernetesVersion: "v1.30.0" },
            endpoint,
            vcsimNamed,
            "k",
        );
        expect(vars).toMatchObject({
            VSPHERE_DATACENTER: "DC0",
            VSPHERE_DATASTORE: "LocalDS_0",
            VSPHERE_FOLDER: "/DC0/vm",
            VSPHERE_NETWORK: "/DC0/network/VM Network",
            VSPHERE_RESOURCE_POOL: "/DC0/host/DC0_C0/Resources",
            VSPHERE_TEMPLATE: "/DC0/vm/ubuntu-2204-kube-v1.30.0",
        });
    });

    it("in supervisor mode swaps the placement variables for class and image names, keeping the CSI driver's", () => {
        const vars = clusterVariables("supervisor", cluster, endpoint, simulator, "key");
        expect(Object.keys(vars).sort()).toEqual(
            [
                ...COMMON,
                "VSPHERE_DATACENTER",
                "VSPHERE_NETWORK",
                "VSPHERE_STORAGE_CLASS",
                "VSPHERE_MACHINE_CLASS_NAME",
                "VSPHERE_IMAGE_NAME",
            ].sort(),
        );
        expect(vars).toMatchObject({
            NAMESPACE: "default",
            VSPHERE_POWER_OFF_MODE: "trySoft",
            VSPHERE_USERNAME: "administrator@vsphere.local",
            VSPHERE_PASSWORD: simulator.password,
            VSPHERE_TLS_THUMBPRINT: simulator.thumbprint,
            VSPHERE_STORAGE_CLASS: "vcsim-default-storage-class",
            VSPHERE_MACHINE_CLASS_NAME: "vcsim-default-vm-class",
            VSPHERE_IMAGE_NAME: "ubuntu-2204-kube-v1.28.0",
            VSPHERE_DATACENTER: "SDDC-Datacenter",
            VSPHERE_NETWORK: "sddc-cgw-network-1",
        });
        const vcsimNamed = {
            ...simulator,
            inventory: planInventory({ ...DEFAULT_MODEL, inventoryNames: "vcsim" }),
        };
        expect(clusterVariables("supervisor", cluster, endpoint, vcsimNamed, "key")).toMatchObject({
            VSPHERE_DATACENTER: "DC0",
            VSPHERE_NETWORK: "VM Network",
        });
    });

    it("refuses a Kubernetes version no template is for", () => {
        expect(() =>
            clusterVariables(
                "govmomi",
                { ...cluster, kubernetesVersion: "v1.20.0" },
                endpoint,
                simulator,
                "k",
            ),
        ).toThrow(/no machine template for Kubernetes v1.20.0/);
    });
});

describe("govcUrl", () => {
    it("encodes credentials so govc decodes them back", () => {
        const url = new URL(govcUrl(simulator));
        expect(decodeURIComponent(url.username)).toBe(simulator.username);
        expect(decodeURIComponent(url.password)).toBe(simulator.password);
        expect(url.host).toBe("127.0.0.1:36401");
        expect(url.pathname).toBe("/sdk");
    });
});

describe("renderEnvFile", () => {
    it('is `export K="V"` lines that bash sources back to the exact values', () => {
        const vars = clusterVariables("govmomi", cluster, endpoint, simulator, "ssh-rsa AAAA key");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "envfile-"));
        try {
            const file = path.join(dir, "vcsim.env");
            fs.writeFileSync(file, renderEnvFile(vars));
            expect(fs.readFileSync(file, "utf8").split("\n")[0]).toMatch(
                /^export VSPHERE_SSH_AUTHORIZED_KEY="/,
            );
            const script = `set -eu; source "$1"; node -e 'const o={};for(const k of process.argv.slice(1))o[k]=process.env[k];console.log(JSON.stringify(o))' ${Object.keys(vars).join(" ")}`;
            const sourced = JSON.parse(
                childProcess
                    .execFileSync("bash", ["-c", script, "bash", file], {
                        env: { PATH: process.env.PATH },
                    })
                    .toString(),
            );
            expect(sourced).toEqual(vars);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
