/**
 * The limited supervisor on a local stack's bootstrap cluster (a real API server, kwok's nodes):
 * CRDs served, custom resources accepted or refused by their schemas, Deployments available,
 * vm-operator's patches applied, supervisor-mode variables naming real objects, dependencies
 * removed on destroy, and bad configuration refused at preview.
 */
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { renderManifest, renderOvf } from "../../providers/vcsim/ovf";
import {
    createStack,
    kubectl,
    removeStack,
    ROOT,
    stateResources,
    uniqueStackName,
    withEnvFile,
} from "../support/harness";
import { atRest } from "../support/at-rest";

jest.setTimeout(15 * 60 * 1000);

const VCSIM_CRDS = [
    "vcentersimulators",
    "controlplaneendpoints",
    "envvars",
    "vmoperatordependencies",
];
const VMOP_CRDS = [
    "virtualmachineclasses.vmoperator.vmware.com",
    "virtualmachineimages.vmoperator.vmware.com",
    "availabilityzones.topology.tanzu.vmware.com",
];
const DEPLOYMENTS = [
    ["vcsim-system", "vcsim-controller-manager"],
    ["vmware-system-vmop", "vmware-system-vmop-controller-manager"],
    ["vmware-system-netop", "net-operator-controller-manager"],
];

/** Resident memory, in MiB, of the processes whose command line names `dir`. */
function residentMiB(dir: string): number {
    let kib = 0;
    for (const p of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
        try {
            if (!fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes(dir)) continue;
            const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"));
            kib += rss ? Number(rss[1]) : 0;
        } catch {
            // gone meanwhile
        }
    }
    return Math.round(kib / 1024);
}

describe("the limited supervisor on the local stack's bootstrap cluster", () => {
    const name = uniqueStackName("supervisor");
    let stack: Stack;
    let outputs: Record<string, { value: unknown; secret?: boolean }>;
    let kubeconfig: string;
    const k = (...args: string[]) => kubectl(kubeconfig, args);
    const json = (...args: string[]) => JSON.parse(k(...args, "-o", "json"));

    beforeAll(async () => {
        stack = await createStack(name, { envVarMode: "supervisor" });
    });

    // A library item's file lies inside the project (out/ is gitignored).
    fs.mkdirSync(path.join(ROOT, "out"), { recursive: true });
    const ovfDir = fs.mkdtempSync(path.join(ROOT, "out", "it-supervisor-images-"));

    afterAll(async () => {
        if (fs.existsSync(path.join(ROOT, `Pulumi.${name}.yaml`))) {
            await removeStack(stack);
        }
        fs.rmSync(ovfDir, { recursive: true, force: true });
    });

    it("comes up, and a second preview has nothing to change", async () => {
        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        outputs = result.outputs;
        kubeconfig = outputs.bootstrapKubeconfigFile.value as string;
        await stack.preview({ expectNoChanges: true });
    });

    it("comes to rest: every supervised process running, none restarted, and every Deployment available", async () => {
        const stackDir = outputs.stackDir.value as string;
        const available = () =>
            DEPLOYMENTS.every(([ns, deploy]) => {
                const d = json("get", "deployment", "-n", ns, deploy);
                return d.status?.availableReplicas === d.spec.replicas;
            });
        const supervisors = await atRest(stackDir, available);
        expect(supervisors.length).toBeGreaterThanOrEqual(5); // one per local cluster
        for (const s of supervisors) {
            expect([s.supervisor, s.alive]).toEqual([s.supervisor, true]);
            expect(s.processes.length).toBeGreaterThan(0);
            expect(s.processes.filter((p) => !/ running \d+ restarts=0$/.test(p))).toEqual([]);
        }
        console.info(`local stack ${name} at rest: ${residentMiB(stackDir)} MiB resident`);
    });

    it("serves every CRD it applied", () => {
        const served = k("api-resources", "-o", "name").split("\n");
        for (const plural of VCSIM_CRDS) {
            expect(served).toContain(`${plural}.vcsim.infrastructure.cluster.x-k8s.io`);
        }
        for (const crd of VMOP_CRDS) {
            expect(served).toContain(crd);
        }
    });

    it("reports every Deployment available, as its outputs do", () => {
        for (const [ns, deploy] of DEPLOYMENTS) {
            const d = json("get", "deployment", "-n", ns, deploy);
            expect([deploy, d.status.availableReplicas]).toEqual([deploy, d.spec.replicas]);
        }
        expect(outputs.supervisor.value).toMatchObject({
            vcsimControllerReplicas: 1,
            vmOperatorReplicas: 1,
            netOperatorReplicas: 1,
        });
    });

    it("applied vm-operator with CAPV's kustomize patches (test/infrastructure/vm-operator)", () => {
        const d = json("get", "deployment", "-n", "vmware-system-vmop", DEPLOYMENTS[1][1]);
        expect(d.spec.replicas).toBe(1);
        expect(d.metadata.labels["cluster.x-k8s.io/provider"]).toBe(
            "runtime-extension-vm-operator",
        );
        const pod = d.spec.template.spec;
        expect(pod.hostNetwork ?? false).toBe(false);
        expect((pod.volumes ?? []).map((v: { name: string }) => v.name)).not.toContain(
            "vmca-certs",
        );
        const manager = pod.containers[0];
        expect(manager.imagePullPolicy).toBe("Always");
        const env = Object.fromEntries(
            manager.env.map((e: { name: string; value: string }) => [e.name, e.value]),
        );
        expect(env).toMatchObject({
            VSPHERE_NETWORKING: "true",
            NETWORK_PROVIDER: "VSPHERE_NETWORK",
            FSS_WCP_NAMESPACED_VM_CLASS: "true",
        });
        for (const removed of [
            "PRIVILEGED_USERS",
            "KUBERNETES_SERVICE_HOST",
            "KUBERNETES_SERVICE_PORT",
        ]) {
            expect(env[removed]).toBeUndefined();
        }
    });

    it("made every custom resource, each accepted by its schema", () => {
        const list = (kind: string, ...ns: string[]) =>
            json("get", kind, ...ns).items.map(
                (i: { metadata: { name: string } }) => i.metadata.name,
            );
        expect(list("vcentersimulators", "-n", "default")).toEqual(["vcsim"]);
        expect(list("controlplaneendpoints", "-n", "default")).toEqual(["cluster1"]);
        expect(list("envvars", "-n", "default")).toEqual(["cluster1"]);
        expect(list("virtualmachineclasses", "-n", "default")).toEqual(["vcsim-default-vm-class"]);
        expect(list("virtualmachineimages", "-n", "default")).toHaveLength(3);
        expect(list("availabilityzones")).toEqual(["sddc-datacenter-host-cluster-1"]);
        // Defaults come from the schemas: CAPV's VCenterSimulator model fields the program left to them.
        const envVar = json("get", "envvar", "-n", "default", "cluster1");
        expect(envVar.spec.cluster).toMatchObject({ powerOffMode: "trySoft", datacenter: 0 });
    });

    it.each([
        [
            "a VM class with zero CPUs",
            {
                apiVersion: "vmoperator.vmware.com/v1alpha2",
                kind: "VirtualMachineClass",
                metadata: { name: "bad", namespace: "default" },
                spec: { hardware: { cpus: 0, memory: "4G" } },
            },
            /spec\.hardware\.cpus: Invalid value: 0: spec\.hardware\.cpus in body should be greater than or equal to 1/,
        ],
        [
            "an EnvVar with an unknown power-off mode",
            {
                apiVersion: "vcsim.infrastructure.cluster.x-k8s.io/v1alpha1",
                kind: "EnvVar",
                metadata: { name: "bad", namespace: "default" },
                spec: {
                    controlPlaneEndpoint: { name: "c" },
                    cluster: { name: "c", powerOffMode: "yank" },
                },
            },
            /spec\.cluster\.powerOffMode: Unsupported value: "yank"/,
        ],
        [
            "VMOperatorDependencies with both a vCenter and a simulator",
            {
                apiVersion: "vcsim.infrastructure.cluster.x-k8s.io/v1alpha1",
                kind: "VMOperatorDependencies",
                metadata: { name: "bad", namespace: "default" },
                spec: { vCenter: { serverURL: "x:443" }, vCenterSimulatorRef: { name: "vcsim" } },
            },
            /exactly one of vCenter and vCenterSimulatorRef must be set/,
        ],
    ])("has the API server refuse %s", (_what, body, message) => {
        expect(() =>
            kubectl(kubeconfig, ["create", "--dry-run=server", "-f", "-"], JSON.stringify(body)),
        ).toThrow(message);
    });

    it("in supervisor mode, names a StorageClass, VM class and image that exist", () => {
        const vars = outputs.clusterVariables.value as Record<string, string>;
        expect(k("get", "storageclass", vars.VSPHERE_STORAGE_CLASS, "-o", "name").trim()).toBe(
            `storageclass.storage.k8s.io/${vars.VSPHERE_STORAGE_CLASS}`,
        );
        expect(
            k(
                "get",
                "virtualmachineclass",
                "-n",
                vars.NAMESPACE,
                vars.VSPHERE_MACHINE_CLASS_NAME,
                "-o",
                "name",
            ).trim(),
        ).toContain(vars.VSPHERE_MACHINE_CLASS_NAME);
        const image = json(
            "get",
            "virtualmachineimage",
            "-n",
            vars.NAMESPACE,
            vars.VSPHERE_IMAGE_NAME,
        );
        expect(image.status.conditions[0]).toMatchObject({ type: "Ready", status: "True" });
        expect(image.status.providerItemID).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("configures vm-operator with the simulator's own managed-object ids", () => {
        const cm = json(
            "get",
            "configmap",
            "-n",
            "vmware-system-vmop",
            "vsphere.provider.config.vmoperator.vmware.com",
        ).data;
        const envFile = outputs.envFile.value as string;
        const moid = (p: string) =>
            withEnvFile(envFile, `govc find -i -maxdepth 0 '${p}'`).trim().split(":")[1];
        expect(cm.Datacenter).toBe(moid("/SDDC-Datacenter"));
        expect(cm.Folder).toBe(moid("/SDDC-Datacenter/vm/Workloads"));
        expect(cm.ResourcePool).toBe(
            moid("/SDDC-Datacenter/host/Cluster-1/Resources/Compute-ResourcePool"),
        );
        const server = new URL(
            (outputs.clusterVariables.value as Record<string, string>).VSPHERE_SERVER,
        );
        expect([cm.VcPNID, cm.VcPort]).toEqual([server.hostname, server.port]);
        const secret = json(
            "get",
            "secret",
            "-n",
            "vmware-system-vmop",
            "vsphere.provider.credentials.vmoperator.vmware.com",
        ).data;
        expect(Buffer.from(secret.password, "base64").toString()).toBe(
            outputs.vcenterPassword.value,
        );
        const sc = json("get", "storageclass", "vcsim-default-storage-class");
        expect(sc.parameters.storagePolicyID).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("takes its images from a content library it makes in vCenter, through the connection", async () => {
        const envFile = outputs.envFile.value as string;
        const image = (outputs.clusterVariables.value as Record<string, string>).VSPHERE_IMAGE_NAME;
        const ovf = renderOvf(image);
        fs.writeFileSync(path.join(ovfDir, `${image}.ovf`), ovf);
        fs.writeFileSync(path.join(ovfDir, `${image}.mf`), renderManifest(`${image}.ovf`, ovf));
        const items = [`${image}=${path.join(ovfDir, `${image}.ovf`)}`];
        await stack.setAllConfigJson(
            JSON.stringify({
                "k8s-ci-envs:supervisorSimulator": { value: "false" },
                "k8s-ci-envs:supervisorConnection": { value: "true" },
                "k8s-ci-envs:supervisorContentLibrary": { value: "capv-images" },
                "k8s-ci-envs:supervisorLibraryItems": {
                    value: JSON.stringify(items),
                    objectValue: items,
                },
            }),
        );
        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        const [item] = JSON.parse(
            withEnvFile(envFile, `govc library.info -json /capv-images/${image}`),
        );
        expect(item.name).toBe(image);
        const vmi = json("get", "virtualmachineimage", "-n", "default", image);
        expect(vmi.status.providerItemID).toBe(item.id);
        expect(json("get", "virtualmachineimages", "-n", "default").items).toHaveLength(1);
    });

    it("removes every dependency on destroy, and leaves the cluster's other objects", async () => {
        const deps = (await stateResources(stack)).find(
            (r) => r.type === "k8sci:supervisor:VmOperatorDependencies",
        )!;
        const result = await stack.destroy({ target: [deps.urn], targetDependents: true });
        expect(result.summary.result).toBe("succeeded");
        const gone = (...args: string[]) => expect(() => k("get", ...args)).toThrow(/NotFound/);
        gone("storageclass", "vcsim-default-storage-class");
        gone("resourcequota", "-n", "default", "vcsim-default-storage-class");
        gone("availabilityzone", "sddc-datacenter-host-cluster-1");
        gone(
            "secret",
            "-n",
            "vmware-system-vmop",
            "vsphere.provider.credentials.vmoperator.vmware.com",
        );
        gone(
            "configmap",
            "-n",
            "vmware-system-vmop",
            "vsphere.provider.config.vmoperator.vmware.com",
        );
        gone("virtualmachineclass", "-n", "default", "vcsim-default-vm-class");
        // The content library it made, with its items, is gone from vCenter; the simulator's stays.
        const libraries = withEnvFile(outputs.envFile.value as string, "govc library.ls");
        expect(libraries).not.toContain("/capv-images");
        expect(libraries).toContain("/vcsim");
        expect(json("get", "virtualmachineimages", "-n", "default").items).toEqual([]);
        // vm-operator itself stays.
        expect(
            json("get", "deployment", "-n", "vmware-system-vmop", DEPLOYMENTS[1][1]).spec.replicas,
        ).toBe(1);
        await removeStack(stack);
    });

    it("refuses bad input at preview, naming the key, and creates nothing", async () => {
        const other = await createStack(uniqueStackName("supervisor-bad"), {
            supervisorConnection: "true",
            vmOperatorManifest: "no/such/vm-operator.yaml",
        });
        // An array key reaches the engine as an array.
        const classes = ["vcsim-default-vm-class=0,4G"];
        await other.setAllConfigJson(
            JSON.stringify({
                "k8s-ci-envs:supervisorVmClasses": {
                    value: JSON.stringify(classes),
                    objectValue: classes,
                    secret: false,
                },
            }),
        );
        try {
            const refused = other.preview();
            await expect(refused).rejects.toThrow(
                /k8s-ci-envs:supervisorConnection and supervisorSimulator: exactly one must be true/,
            );
            await expect(refused).rejects.toThrow(
                /k8s-ci-envs:supervisorVmClasses\[0\]\.cpus must be an integer from 1 to 768; got 0/,
            );
            await expect(refused).rejects.toThrow(/k8s-ci-envs:vmOperatorManifest names no file/);
            await other.setConfig("k8s-ci-envs:supervisorConnection", { value: "false" });
            await other.setConfig("k8s-ci-envs:supervisorSimulator", { value: "false" });
            await expect(other.preview()).rejects.toThrow(/exactly one must be true .*got neither/);
            expect(
                (await stateResources(other)).filter((r) => r.type !== "pulumi:pulumi:Stack"),
            ).toEqual([]);
        } finally {
            await removeStack(other);
        }
    });
});
