import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
    isSecretInput,
    mockOutputs,
    named,
    ofType,
    recorded,
    RecordedResource,
    reveal,
    settle,
    setupMocks,
    unwrap,
} from "../../support/mocks";
import type * as ConfigModule from "../../../stacks/config";
import type * as SupervisorModule from "../../../stacks/supervisor";
import type * as DepsModule from "../../../components/supervisor/vm-operator-dependencies";
import type * as VmOperatorModule from "../../../components/supervisor/vm-operator";
import type * as VcsimModule from "../../../providers/vcsim";
import type * as ControllerModule from "../../../components/vcsim";

const ROOT = path.resolve(__dirname, "../../..");
const FIXTURE = fs.readFileSync(path.join(__dirname, "vm-operator-mini.yaml"), "utf8");
jest.setTimeout(120_000);

const SIMULATOR = "pulumi-nodejs:dynamic/vcsim:VCenterSimulator";
const IDS = "pulumi-nodejs:dynamic/vsphere:InventoryIds";
/** The managed-object ids a vCenter gives the simulator's placement, by path. */
const VCENTER_IDS: Record<string, string> = {
    "/SDDC-Datacenter": "datacenter-3",
    "/SDDC-Datacenter/host/Cluster-1": "domain-c5",
    "/SDDC-Datacenter/vm/Workloads": "group-v7",
    "/SDDC-Datacenter/host/Cluster-1/Resources/Compute-ResourcePool": "resgroup-9",
};
const VCENTER_CERTIFICATE =
    "-----BEGIN CERTIFICATE-----\nMIIB-vcenter\n-----END CERTIFICATE-----\n";

let config: typeof ConfigModule;
let supervisor: typeof SupervisorModule;
let deps: typeof DepsModule;
let vmOperator: typeof VmOperatorModule;
let vcsim: typeof VcsimModule;
let controller: typeof ControllerModule;

beforeAll(async () => {
    await setupMocks({ stack: "local" });
    config = await import("../../../stacks/config");
    supervisor = await import("../../../stacks/supervisor");
    deps = await import("../../../components/supervisor/vm-operator-dependencies");
    vmOperator = await import("../../../components/supervisor/vm-operator");
    vcsim = await import("../../../providers/vcsim");
    controller = await import("../../../components/vcsim");
});

beforeEach(async () => setupMocks({ stack: "local" }));

function settings(values: Record<string, string> = {}) {
    return config.readSettings(
        { get: (k) => values[k], getSecret: () => undefined },
        "local",
        ROOT,
    ) as ConfigModule.LocalSettings;
}

/** The supervisor of a local stack with `values`, on a bootstrap provider and a simulator. */
async function composeLocal(values: Record<string, string> = {}, connectionFolder?: string) {
    const local = settings(values);
    const k8s: typeof import("@pulumi/kubernetes") = await import("@pulumi/kubernetes");
    const provider = new k8s.Provider("bootstrap-provider", { kubeconfig: "mock" });
    const simulator = new vcsim.VCenterSimulator("vcsim-simulator", {
        stackDir: local.stackDir,
        model: local.simulator,
    });
    const connection = controller.connectionTo(simulator, local.cluster);
    if (connectionFolder !== undefined) {
        connection.folder = connectionFolder;
    }
    const outputs = await supervisor.localSupervisor(local, provider, simulator, connection);
    await settle();
    return outputs;
}

// A library item's file lies inside the project (out/ is gitignored).
fs.mkdirSync(path.join(ROOT, "out"), { recursive: true });
const ovfDir = fs.mkdtempSync(path.join(ROOT, "out", "unit-supervisor-ovf-"));
fs.writeFileSync(path.join(ovfDir, "ubuntu-2204-kube-v1.28.0.ovf"), "<Envelope/>");
afterAll(() => fs.rmSync(ovfDir, { recursive: true, force: true }));

const kinds = (type: string) => ofType(type).map((r) => r.inputs.metadata as { name: string });
const childrenOf = (component: string) =>
    recorded.filter((r) => r.parent.endsWith(`::${component}`));

describe("the limited supervisor on the local stack, under mocks", () => {
    it("registers the four components on the bootstrap cluster's provider", async () => {
        await composeLocal();
        for (const type of [
            "VcsimControllerDeployment",
            "VmOperator",
            "NetOperator",
            "VmOperatorDependencies",
        ]) {
            expect(ofType(`k8sci:supervisor:${type}`)).toHaveLength(1);
        }
        const provider = named("bootstrap-provider");
        const onCluster = recorded.filter(
            (r) =>
                r.type.startsWith("kubernetes:") &&
                !r.type.startsWith("kubernetes:yaml:") &&
                /^(vcsim-controller|vm-operator|net-operator)-/.test(r.name),
        );
        expect(onCluster.length).toBeGreaterThan(20);
        for (const r of onCluster) {
            expect([r.name, r.provider]).toEqual([
                r.name,
                `${urnOfProvider(provider)}::${provider.id}`,
            ]);
        }
    });

    it("serves the vcsim controller's four CRDs, its manager, and the resources vcsim.sh makes", async () => {
        await composeLocal();
        expect(
            kinds("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition").map((m) => m.name),
        ).toEqual(
            expect.arrayContaining([
                "vcentersimulators.vcsim.infrastructure.cluster.x-k8s.io",
                "controlplaneendpoints.vcsim.infrastructure.cluster.x-k8s.io",
                "envvars.vcsim.infrastructure.cluster.x-k8s.io",
                "vmoperatordependencies.vcsim.infrastructure.cluster.x-k8s.io",
            ]),
        );
        const manager = named("vcsim-controller-deploy").inputs as any;
        expect(manager.metadata).toMatchObject({
            name: "vcsim-controller-manager",
            namespace: "vcsim-system",
        });
        expect(manager.spec.template.spec.containers[0].args).toEqual([
            "--v=2",
            "--logging-format=json",
        ]);
        const envVar = named("vcsim-controller-envvar").inputs as any;
        expect(envVar).toMatchObject({
            kind: "EnvVar",
            metadata: {
                name: "cluster1",
                namespace: "default",
                annotations: { "pulumi.com/skipAwait": "true" },
            },
            spec: {
                vCenterSimulator: { name: "vcsim" },
                controlPlaneEndpoint: { name: "cluster1" },
                cluster: {
                    name: "cluster1",
                    kubernetesVersion: "v1.28.0",
                    powerOffMode: "trySoft",
                },
            },
        });
    });

    it("makes the dependencies from what vCenter answers: the ConfigMap's exact keys, its ids, certificate, policies and items", async () => {
        // vCenter's answers, as this test states them: each id distinct, so a swap shows.
        mockOutputs(SIMULATOR, () => ({ server: "10.20.30.40:8989" }));
        mockOutputs(IDS, (inputs) => ({
            objectIds: Object.fromEntries(
                Object.entries(inputs.objects as Record<string, string>).map(([k, p]) => [
                    k,
                    VCENTER_IDS[p],
                ]),
            ),
            policyIds: { "vSAN Default Storage Policy": "aa5f0b1c-policy" },
            itemIds: Object.fromEntries(
                (inputs.itemPaths as string[]).map((p, i) => [p, `item-uuid-${i}`]),
            ),
            certificate: VCENTER_CERTIFICATE,
        }));
        await composeLocal();
        // It asks vCenter about the simulator's own placement, and keeps the password secret.
        const ids = ofType(IDS)[0];
        expect(ids.inputs.objects).toEqual({
            datacenter: "/SDDC-Datacenter",
            cluster: "/SDDC-Datacenter/host/Cluster-1",
            folder: "/SDDC-Datacenter/vm/Workloads",
            resourcePool: "/SDDC-Datacenter/host/Cluster-1/Resources/Compute-ResourcePool",
        });
        expect(ids.inputs.url).toBe("https://10.20.30.40:8989/sdk");
        expect(isSecretInput(ids.inputs.password)).toBe(true);
        expect(ids.additionalSecretOutputs).toContain("password");

        const cm = named("vm-operator-deps-config").inputs as any;
        expect(cm.metadata).toEqual({
            name: "vsphere.provider.config.vmoperator.vmware.com",
            namespace: "vmware-system-vmop",
        });
        expect(cm.data).toEqual({
            VcPNID: "10.20.30.40",
            VcPort: "8989",
            VcCredsSecretName: "vsphere.provider.credentials.vmoperator.vmware.com",
            Datacenter: "datacenter-3",
            ResourcePool: "resgroup-9",
            Folder: "group-v7",
            StorageClassRequired: "true",
            UseInventoryAsContentSource: "false",
            // vm-operator verifies vCenter's certificate: the pinned one, mounted from the CA ConfigMap.
            InsecureSkipTLSVerify: "false",
            CAFilePath: "/etc/vmware/wcp/tls/vmca.pem",
            "CAPV-TEST-Server": "10.20.30.40:8989",
            "CAPV-TEST-DatacenterName": "SDDC-Datacenter",
            "CAPV-TEST-PortGroup": "sddc-cgw-network-1",
        });
        const ca = named("vm-operator-deps-ca").inputs as any;
        expect(ca.metadata).toEqual({
            name: "vsphere.provider.ca.k8s-ci-envs",
            namespace: "vmware-system-vmop",
        });
        expect(ca.data).toEqual({ "vmca.pem": VCENTER_CERTIFICATE });

        const secret = named("vm-operator-deps-secret").inputs as any;
        expect(secret.metadata.name).toBe("vsphere.provider.credentials.vmoperator.vmware.com");
        expect(isSecretInput(secret.stringData)).toBe(true);
        expect(Object.keys(reveal<Record<string, string>>(secret.stringData)).sort()).toEqual([
            "CAPV-TEST-Thumbprint",
            "password",
            "username",
        ]);

        expect(named("vm-operator-deps-sc-vcsim-default-storage-class").inputs).toMatchObject({
            metadata: { name: "vcsim-default-storage-class" },
            provisioner: "kubernetes.io/vsphere-volume",
            parameters: { storagePolicyID: "aa5f0b1c-policy" },
        });
        expect(
            named("vm-operator-deps-quota-default-vcsim-default-storage-class").inputs,
        ).toMatchObject({
            metadata: { name: "vcsim-default-storage-class", namespace: "default" },
            spec: {
                hard: {
                    "vcsim-default-storage-class.storageclass.storage.k8s.io/requests.storage":
                        "1Gi",
                },
            },
        });
        expect(named("vm-operator-deps-az").inputs).toMatchObject({
            kind: "AvailabilityZone",
            metadata: { name: "sddc-datacenter-host-cluster-1" },
            spec: {
                clusterComputeResourceMoId: "domain-c5",
                namespaces: { default: { poolMoId: "resgroup-9", folderMoId: "group-v7" } },
            },
        });
        expect(named("vm-operator-deps-class-default-vcsim-default-vm-class").inputs).toMatchObject(
            {
                kind: "VirtualMachineClass",
                spec: { hardware: { cpus: 2, memory: "4G" } },
            },
        );
        // One image per item of the simulator's library, each with the id vCenter gave its item.
        expect(ids.inputs.itemPaths).toEqual([
            "/vcsim/ubuntu-2204-kube-v1.28.0",
            "/vcsim/ubuntu-2204-kube-v1.29.0",
            "/vcsim/ubuntu-2204-kube-v1.30.0",
        ]);
        const images = ofType("kubernetes:vmoperator.vmware.com/v1alpha2:VirtualMachineImage");
        expect(
            images.map((i) => [
                (i.inputs.metadata as { name: string }).name,
                (i.inputs.status as { providerItemID: string }).providerItemID,
            ]),
        ).toEqual([
            ["ubuntu-2204-kube-v1.28.0", "item-uuid-0"],
            ["ubuntu-2204-kube-v1.29.0", "item-uuid-1"],
            ["ubuntu-2204-kube-v1.30.0", "item-uuid-2"],
        ]);
        expect(images[0].inputs.status).toMatchObject({
            conditions: [{ type: "Ready", status: "True" }],
        });
    });

    it("orders the supervisor on its cluster: CRDs first, vm-operator before its dependencies", async () => {
        await composeLocal();
        const names = (rs: RecordedResource[]) => rs.map((r) => r.name);
        /** The names of the resources `name` was registered depending on. */
        const waitsFor = (name: string) =>
            named(name).dependencies.map((urn) => urn.split("::").pop());
        // The vcsim controller's custom resources wait for its CRDs.
        const vcsimCrds = names(
            childrenOf("vcsim-controller").filter(
                (r) => r.type === "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
            ),
        );
        expect(vcsimCrds).toHaveLength(4);
        for (const name of ["simulator", "endpoint", "envvar"].map(
            (r) => `vcsim-controller-${r}`,
        )) {
            expect([name, waitsFor(name)]).toEqual([name, expect.arrayContaining(vcsimCrds)]);
        }
        // vm-operator's manifest waits for its namespaces and CRDs.
        const foundation = names(childrenOf("vm-operator-crds"));
        expect(foundation.length).toBeGreaterThan(0);
        expect(waitsFor("vm-operator-manifest")).toEqual(expect.arrayContaining(foundation));
        // The dependencies wait for vm-operator's every object (its CRDs among them).
        const vmOperatorObjects = names([
            ...childrenOf("vm-operator-crds"),
            ...childrenOf("vm-operator-manifest"),
        ]);
        expect(vmOperatorObjects.length).toBeGreaterThan(foundation.length);
        expect(waitsFor("vm-operator-deps")).toEqual(expect.arrayContaining(vmOperatorObjects));
    });

    it("leaves the local supervisor fully destroyable: nothing protected or retained", async () => {
        await composeLocal();
        const supervisor = recorded.filter((r) =>
            /^(vcsim-controller|vm-operator|net-operator)/.test(r.name),
        );
        expect(supervisor.length).toBeGreaterThan(20);
        expect(supervisor.filter((r) => r.protect || r.retainOnDelete)).toEqual([]);
    });

    it("makes the same dependencies through the simulator's VCenterConnection when asked", async () => {
        // A folder only the connection names: the simulator's inventory has Workloads.
        const folder = "/SDDC-Datacenter/vm/Other";
        await composeLocal({ supervisorConnection: "true", supervisorSimulator: "false" }, folder);
        const ids = ofType("pulumi-nodejs:dynamic/vsphere:InventoryIds")[0];
        expect(ids.inputs.objects).toMatchObject({
            cluster: "/SDDC-Datacenter/host/Cluster-1",
            folder,
        });
        expect(ids.inputs.itemPaths).toHaveLength(3);
    });

    it("makes a content library with the configured items in vCenter, and images of them", async () => {
        const ovf = path.join(ovfDir, "ubuntu-2204-kube-v1.28.0.ovf");
        await composeLocal({
            supervisorConnection: "true",
            supervisorSimulator: "false",
            supervisorContentLibrary: "capv-images",
            supervisorLibraryItems: JSON.stringify([`ubuntu-2204-kube-v1.28.0=${ovf}`]),
            envVarMode: "supervisor",
        });
        const component = ofType("k8sci:supervisor:VmOperatorDependencies")[0];
        const library = ofType("pulumi-nodejs:dynamic/vsphere:ContentLibrary");
        const items = ofType("pulumi-nodejs:dynamic/vsphere:LibraryItem");
        expect(library.map((l) => [l.name, l.inputs.name])).toEqual([
            ["vm-operator-deps-library", "capv-images"],
        ]);
        expect(items.map((i) => [i.inputs.library, i.inputs.name, i.inputs.source])).toEqual([
            ["capv-images", "ubuntu-2204-kube-v1.28.0", ovf],
        ]);
        for (const r of [...library, ...items]) {
            expect(r.parent).toMatch(new RegExp(`::${component.name}$`));
        }
        // The images' item ids are looked up once the items exist.
        const ids = named("vm-operator-deps-ids");
        expect(ids.inputs.itemPaths).toEqual(["/capv-images/ubuntu-2204-kube-v1.28.0"]);
        // A new source replaces the item: the lookup then runs again for its new id.
        expect(ids.inputs.itemSources).toEqual({ "/capv-images/ubuntu-2204-kube-v1.28.0": ovf });
        expect(
            ids.dependencies.some((d) =>
                d.endsWith("::vm-operator-deps-item-ubuntu-2204-kube-v1.28.0"),
            ),
        ).toBe(true);
        expect(
            kinds("kubernetes:vmoperator.vmware.com/v1alpha2:VirtualMachineImage").map(
                (m) => m.name,
            ),
        ).toEqual(["ubuntu-2204-kube-v1.28.0"]);
    });

    it("in supervisor mode, the EnvVar's classes and image are among the objects made", async () => {
        const outputs = (await composeLocal({ envVarMode: "supervisor" })) as any;
        const s = outputs.supervisor;
        const model = settings().simulator;
        const variables = vcsim.clusterVariables(
            "supervisor",
            settings().cluster,
            { host: "127.0.0.1", port: 20001 },
            {
                server: "127.0.0.1:1",
                username: "u",
                password: "p",
                thumbprint: "t",
                inventory: vcsim.planInventory(model),
            },
            "key",
        );
        expect(s.storageClasses).toContain(variables.VSPHERE_STORAGE_CLASS);
        expect(s.vmClasses).toContain(variables.VSPHERE_MACHINE_CLASS_NAME);
        expect(s.images).toContain(variables.VSPHERE_IMAGE_NAME);
    });

    it("is absent when supervisor is false", async () => {
        expect(await composeLocal({ supervisor: "false" })).toEqual({});
        expect(recorded.filter((r) => r.type.startsWith("k8sci:supervisor:"))).toEqual([]);
    });
});

function urnOfProvider(r: RecordedResource): string {
    return `urn:pulumi:local::k8s-ci-envs::pulumi:providers:kubernetes::${r.name}`;
}

describe("VmOperator's transforms, on a vm-operator-shaped fixture manifest", () => {
    it("registers the patched objects and none of the left-out ones", async () => {
        new vmOperator.VmOperator("fixture", {
            manifest: FIXTURE,
            patches: { image: "vmop:pinned" },
        });
        await settle();
        const deployments = ofType("kubernetes:apps/v1:Deployment");
        expect(deployments.map((d) => (d.inputs.metadata as { name: string }).name)).toEqual([
            "vmware-system-vmop-controller-manager",
        ]);
        const d = deployments[0].inputs as any;
        expect(d.metadata.labels["cluster.x-k8s.io/provider"]).toBe(
            "runtime-extension-vm-operator",
        );
        expect(d.spec.replicas).toBe(1);
        expect(d.spec.template.spec.hostNetwork).toBe(false);
        const c = d.spec.template.spec.containers[0];
        expect(c.image).toBe("vmop:pinned");
        expect(c.env.map((e: { name: string }) => e.name)).not.toContain("PRIVILEGED_USERS");
        expect(c.env).toContainEqual({ name: "FSS_WCP_NAMESPACED_VM_CLASS", value: "true" });
        expect(kinds("kubernetes:core/v1:ConfigMap").map((m) => m.name)).toEqual([
            "vmoperator-manager-config",
        ]);
        // Namespaces and CRDs in a group of their own, which the rest depends on.
        const manifest = named("fixture-manifest");
        expect(
            childrenOf("fixture-crds")
                .map((r) => r.type)
                .sort(),
        ).toEqual([
            "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
            "kubernetes:core/v1:Namespace",
        ]);
        expect(manifest.type).toBe("kubernetes:yaml:ConfigGroup");
    });

    it("refuses a manifest without vm-operator's manager", () => {
        expect(
            vmOperator.validateVmOperatorArgs({
                manifest: "kind: ConfigMap\napiVersion: v1\nmetadata: {name: x}\n",
            }),
        ).toEqual([
            {
                field: "manifest",
                message: "has no Deployment vmware-system-vmop-controller-manager",
            },
        ]);
    });
});

describe("VmOperatorDependencies' either/or rule", () => {
    const connection = {
        server: "vc:443",
        username: "u",
        password: pulumi.secret("p"),
        thumbprint: "t",
        datacenter: "DC0",
        datastore: "/DC0/datastore/LocalDS_0",
        network: "/DC0/network/VM Network",
        folder: "DC0/vm",
        resourcePool: "/DC0/host/DC0_C0/Resources",
        templates: [],
    };

    it("takes exactly one of a VCenterConnection and a simulator reference", () => {
        const rule = (args: Partial<DepsModule.VmOperatorDependenciesArgs>) =>
            deps.validateVmOperatorDependenciesArgs({ namespaces: ["default"], ...args });
        expect(rule({})).toEqual([
            { field: "vCenter", message: "and simulator: exactly one must be set; got neither" },
        ]);
        const simulator = {} as VcsimModule.VCenterSimulator;
        const model = vcsim.DEFAULT_MODEL;
        expect(rule({ vCenter: { connection }, simulator: { simulator, model } })).toEqual([
            { field: "vCenter", message: "and simulator: exactly one must be set; got both" },
        ]);
        expect(rule({ vCenter: { connection } })).toEqual([]);
    });

    it("takes a library to make or one that exists, not both, and checks its items", () => {
        const issues = deps.validateVmOperatorDependenciesArgs({
            namespaces: ["default"],
            vCenter: {
                connection,
                contentLibrary: "vcsim",
                library: {
                    name: "images",
                    items: [{ name: "Bad_Name", source: "/no/such/image.ova" }],
                },
            },
        });
        expect(issues.map((i) => i.field)).toEqual([
            "vCenter.library",
            "vCenter.library.items[0].name",
            "vCenter.library.items[0].source",
        ]);
        expect(
            deps.validateVmOperatorDependenciesArgs({
                namespaces: ["default"],
                vCenter: { connection, library: { name: "images", items: [] } },
            }),
        ).toEqual([{ field: "vCenter.library.items", message: "must list at least one item" }]);
    });

    it("refuses a VM class with zero CPUs, naming it", () => {
        expect(
            deps.validateVmOperatorDependenciesArgs({
                namespaces: ["default"],
                vCenter: { connection },
                virtualMachineClasses: [{ name: "tiny", cpus: 0, memory: "1G" }],
            }),
        ).toEqual([
            {
                field: "virtualMachineClasses[0].cpus",
                message: "must be an integer from 1 to 768; got 0",
            },
        ]);
    });

    it("takes CAPV's vcsim defaults when a connection leaves placement unset", async () => {
        const c = new deps.VmOperatorDependencies("seeded", {
            namespaces: ["ns1"],
            vCenter: { connection },
        });
        expect(await unwrap(c.config)).toMatchObject({
            VcPNID: "vc",
            VcPort: "443",
            "CAPV-TEST-DatacenterName": "DC0",
            "CAPV-TEST-PortGroup": "DC0_DVPG0",
        });
        await settle();
        expect(named("seeded-ids").inputs.objects).toMatchObject({ cluster: "/DC0/host/DC0_C0" });
        expect(named("seeded-ids").inputs.itemPaths).toEqual([
            "/vcsim/ubuntu-2204-kube-v1.28.0",
            "/vcsim/ubuntu-2204-kube-v1.29.0",
            "/vcsim/ubuntu-2204-kube-v1.30.0",
        ]);
        expect(c.storageClassNames).toEqual(["vcsim-default-storage-class"]);
        expect(c.vmClassNames).toEqual(["vcsim-default-vm-class"]);
    });
});

describe("the supervisor's configuration, refused before any resource with its key named", () => {
    const refusal = (values: Record<string, string>) => () => settings(values);

    it.each([
        [
            { supervisorConnection: "true" },
            /k8s-ci-envs:supervisorConnection and supervisorSimulator: exactly one must be true .*got both/,
        ],
        [
            { supervisorSimulator: "false" },
            /k8s-ci-envs:supervisorConnection and supervisorSimulator: exactly one must be true .*got neither/,
        ],
        [
            { supervisorVmClasses: '["small=0,2G"]' },
            /k8s-ci-envs:supervisorVmClasses\[0\]\.cpus must be an integer from 1 to 768; got 0/,
        ],
        [
            { vmOperatorManifest: "no/such/manifest.yaml" },
            /k8s-ci-envs:vmOperatorManifest names no file: .*no\/such\/manifest\.yaml/,
        ],
        [
            { vmOperatorManifest: "https://example.invalid/vm-operator.yaml" },
            /k8s-ci-envs:vmOperatorManifestSha256 must pin the manifest/,
        ],
        [
            { supervisorLibraryItems: '["ubuntu=no/such/ubuntu.ova"]' },
            /k8s-ci-envs:supervisorLibraryItems\[0\] is neither an http\(s\) URL nor an existing file: .*\/no\/such\/ubuntu\.ova/,
        ],
        [
            { supervisorLibraryItems: '["ubuntu"]' },
            /k8s-ci-envs:supervisorLibraryItems\[0\] must name an \.ovf or \.ova/,
        ],
        [
            { supervisorLibraryItems: '["ubuntu=https://images.example/ubuntu.ova"]' },
            /k8s-ci-envs:supervisorLibraryItems needs supervisorConnection/,
        ],
        [
            {
                envVarMode: "supervisor",
                supervisorConnection: "true",
                supervisorSimulator: "false",
                supervisorLibraryItems: '["other=https://images.example/other.ova"]',
            },
            /k8s-ci-envs:supervisorLibraryItems must list an item named ubuntu-2204-kube-v1.28.0, which VSPHERE_IMAGE_NAME names/,
        ],
        [
            { envVarMode: "supervisor", supervisorVmClasses: '["other=2,4G"]' },
            /k8s-ci-envs:supervisorVmClasses\[0\] must be vcsim-default-vm-class/,
        ],
    ])("refuses %j", (values, message) => {
        expect(refusal(values)).toThrow(message);
    });

    it("accepts a manifest file that exists, relative to the project", () => {
        const s = settings({ vmOperatorManifest: "test/unit/supervisor/vm-operator-mini.yaml" });
        expect(s.supervisor?.vmOperatorManifest).toEqual({
            kind: "file",
            path: path.join(ROOT, "test/unit/supervisor/vm-operator-mini.yaml"),
        });
    });
});
