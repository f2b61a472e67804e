import "../../support/project-root";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import {
    isSecretInput,
    mockReads,
    named,
    ofType,
    recorded,
    RecordedResource,
    reveal,
    settle,
    setupMocks,
    unwrap,
    urnOf,
} from "../../support/mocks";
import { INNER_SECRET_KEYS, OUTER_SECRET_KEYS } from "../../../components/vmc/names";

const RUN = { jobName: "periodic-capv-e2e", buildId: "1855512345", prowJobId: "8d2c5e" };
const PASSWORD = "vmc-password-0";
const PROW_KUBECONFIG = "apiVersion: v1\nkind: Config\n# the Prow-side cluster\n";
const SUPERVISOR_KUBECONFIG = "apiVersion: v1\nkind: Config\n# the limited supervisor's cluster\n";
// CAPV's provider components: a file of the project (out/ is the stacks' own, gitignored).
fs.mkdirSync(path.resolve(__dirname, "../../../out"), { recursive: true });
const dir = fs.mkdtempSync(path.resolve(__dirname, "../../../out/unit-vmc-ci-"));
const spec = path.join(dir, "provider-components.yaml");
fs.writeFileSync(spec, "kind: List\nitems: []\n");
const outer = Object.fromEntries(OUTER_SECRET_KEYS.map((k) => [k, `outer-${k}`]));

let program: Record<string, pulumi.Input<unknown>>;

beforeAll(async () => {
    await setupMocks({
        stack: "ci-periodic-capv-e2e-1855512345",
        config: {
            composition: "ci",
            ciEnvironments: '["vmc"]',
            vsphereServer: "vcenter.sddc.vmwarevmc.com",
            vsphereUsername: "cloudadmin@vmc.local",
            vspherePassword: PASSWORD,
            vsphereTlsThumbprint: Array(32).fill("AB").join(":"),
            vsphereFolder: "/Datacenter/vm/prow/k8s-infra-e2e-gcp-gcve-project-001",
            vsphereResourcePool:
                "/Datacenter/host/k8s-gcve-cluster/Resources/prow/k8s-infra-e2e-gcp-gcve-project-001",
            vsphereIpPool: JSON.stringify({
                addresses: ["192.168.35.10-192.168.35.25"],
                gateway: "192.168.32.1",
                prefix: 21,
            }),
            vmcProwKubeconfig: PROW_KUBECONFIG,
            vmcProviderComponentSpec: spec,
            vmcCiJobTimeoutSeconds: "900",
            // The limited supervisor, on a cluster of its own, from VMC's connection.
            supervisorKubeconfig: SUPERVISOR_KUBECONFIG,
            supervisorConnection: "true",
            supervisorSimulator: "false",
            ...RUN,
        },
        secretKeys: ["vspherePassword", "vmcProwKubeconfig", "supervisorKubeconfig"],
    });
    mockReads((type) =>
        type === "kubernetes:core/v1:Secret"
            ? {
                  data: Object.fromEntries(
                      Object.entries(outer).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
                  ),
              }
            : {},
    );
    program = await ((await import("../../../index")) as unknown as Promise<typeof program>);
    // The watch registers once the Job has its uid.
    await unwrap(program.vmcCiJobSucceeded as pulumi.Output<number>);
});

afterAll(() => settle());

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const inputs = (name: string) => named(name).inputs as Record<string, any>;
const dependsOn = (r: RecordedResource, on: string) => r.dependencies.includes(urnOf(named(on)));
const parentOf = (name: string) => named(name).parent.split("::").pop();

describe("the ci stack's CAPV CI on VMC, under mocks", () => {
    it("builds the jump host, the bootstrap cluster, the secret transfer and the CI Job", () => {
        const components = recorded.filter((r) => r.type.startsWith("k8sci:vmc:"));
        expect(components.map((r) => [r.type, r.name])).toEqual([
            ["k8sci:vmc:JumpHost", "vmc-jumphost"],
            ["k8sci:vmc:BootstrapCluster", "vmc-bootstrap"],
            ["k8sci:vmc:CiSecretTransfer", "vmc-ci-secret"],
            ["k8sci:vmc:CiJob", "vmc-ci-job"],
        ]);
        for (const [child, parent] of [
            ["vmc-jumphost-key", "vmc-jumphost"],
            ["vmc-jumphost-vm", "vmc-jumphost"],
            ["vmc-bootstrap-key", "vmc-bootstrap"],
            ["vmc-bootstrap-vm", "vmc-bootstrap"],
            ["vmc-bootstrap-kubeconfig", "vmc-bootstrap"],
            ["vmc-bootstrap-provider", "vmc-bootstrap"],
            ["vmc-ci-secret-outer", "vmc-ci-secret"],
            ["vmc-ci-secret-inner", "vmc-ci-secret"],
            ["vmc-ci-job-job", "vmc-ci-job"],
            ["vmc-ci-job-watch", "vmc-ci-job"],
        ]) {
            expect([child, parentOf(child)]).toEqual([child, parent]);
        }
    });

    it("names the VMs as CAPV's e2e.sh, in the configured folder and pool, with static addresses and the run's labels", () => {
        expect(
            ofType("pulumi-nodejs:dynamic/vsphere:VirtualMachine").map((r) => r.inputs.name),
        ).toEqual(["clusterapi-jumphost-prow", "clusterapi-bootstrap-prow"]);
        const vm = inputs("vmc-bootstrap-vm");
        expect(vm).toMatchObject({
            folder: "/Datacenter/vm/prow/k8s-infra-e2e-gcp-gcve-project-001",
            resourcePool:
                "/Datacenter/host/k8s-gcve-cluster/Resources/prow/k8s-infra-e2e-gcp-gcve-project-001",
            template: "ubuntu-2204-kube-v1.28.0",
            addressIndex: 1,
            addressPool: {
                addresses: ["192.168.35.10-192.168.35.25"],
                gateway: "192.168.32.1",
                prefix: 21,
            },
            labels: {
                "prow-job": "periodic-capv-e2e",
                "prow-build": "1855512345",
                "prow-job-id": "8d2c5e",
                "ttl-hours": "24",
            },
        });
        expect(inputs("vmc-jumphost-vm").addressIndex).toBe(0);
        expect(isSecretInput(vm.password)).toBe(true);
        expect(reveal(vm.password)).toBe(PASSWORD);
    });

    it("gives each VM cloud-init with its generated key's login; the bootstrap VM creates kind on its address", () => {
        const userData = yaml.load(
            reveal<string>(inputs("vmc-bootstrap-vm").userData).replace(/^#cloud-config\n/, ""),
        ) as any;
        expect(isSecretInput(inputs("vmc-bootstrap-vm").userData)).toBe(true);
        expect(userData.users[0]).toMatchObject({
            name: "capv",
            ssh_authorized_keys: ["ssh-rsa AAAAmock vmc-bootstrap"],
        });
        const script = userData.write_files[0].content as string;
        expect(script).toContain('apiServerAddress: "$address"');
        expect(script).toContain("kind create cluster --name bootstrap");
        const jump = reveal<string>(inputs("vmc-jumphost-vm").userData);
        expect(jump).toContain("ssh-rsa AAAAmock vmc-jumphost");
        expect(named("vmc-jumphost-key").additionalSecretOutputs).toEqual(["privateKeyPem"]);
    });

    it("fetches kind's kubeconfig on the bootstrap VM through the jump host (ProxyJump), secrets kept secret", async () => {
        const fetch = named("vmc-bootstrap-kubeconfig");
        const connection = reveal<any>(fetch.inputs.connection);
        expect(connection).toMatchObject({
            host: "192.168.35.11",
            user: "capv",
            proxy: { host: "192.168.35.10", user: "capv" },
        });
        expect(reveal(connection.privateKey)).toBe("mock-rsa-private-key-pem");
        expect(reveal(connection.proxy.privateKey)).toBe("mock-rsa-private-key-pem");
        expect(isSecretInput(fetch.inputs.connection)).toBe(true);
        expect(fetch.inputs.create).toContain("cloud-init status --wait");
        expect(fetch.inputs.logging).toBe("none");
        expect(fetch.additionalSecretOutputs).toContain("stdout");
        expect(dependsOn(fetch, "vmc-bootstrap-vm")).toBe(true);
        expect(dependsOn(fetch, "vmc-jumphost-vm")).toBe(true);

        // Rewritten to the VM's address, a secret, and the bootstrap cluster's provider's.
        const kubeconfig = program.vmcBootstrapKubeconfig as pulumi.Output<string>;
        expect(await pulumi.isSecret(kubeconfig)).toBe(true);
        const server = (yaml.load(await unwrap(kubeconfig)) as any).clusters[0].cluster.server;
        expect(server).toBe("https://192.168.35.11:6443");
        expect(isSecretInput(inputs("vmc-bootstrap-provider").kubeconfig)).toBe(true);
    });

    it("reads the outer secret from the Prow-side cluster and makes the inner one on the bootstrap cluster", () => {
        const read = named("vmc-ci-secret-outer");
        expect(read.id).toBe("default/clusterapi-provider-vsphere-ci-prow");
        expect(read.provider.split("::")[3]).toBe("vmc-prow");
        expect(reveal(inputs("vmc-prow").kubeconfig)).toBe(PROW_KUBECONFIG);
        expect(isSecretInput(inputs("vmc-prow").kubeconfig)).toBe(true);

        const inner = named("vmc-ci-secret-inner");
        expect(inner.provider.split("::")[3]).toBe("vmc-bootstrap-provider");
        expect(inner.inputs.metadata).toMatchObject({
            name: "clusterapi-provider-vsphere-ci-secret",
            namespace: "default",
        });
        expect(isSecretInput(inner.inputs.data)).toBe(true);
        const data = reveal<Record<string, string>>(inner.inputs.data);
        const decoded = Object.fromEntries(
            Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]),
        );
        expect(Object.keys(decoded).sort()).toEqual([...INNER_SECRET_KEYS].sort());
        expect(decoded["target-vm-ssh"]).toBe("outer-target-vm-ssh");
        expect(decoded["target-vm-ssh-pub"]).toBe("outer-target-vm-ssh-pub");
        expect(decoded["provider-component-spec"]).toBe("kind: List\nitems: []\n");
        expect(decoded["bootstrap-kubeconfig"]).toContain("https://192.168.35.11:6443");
    });

    it("runs CAPV's CI Job on the bootstrap cluster and watches it to its end", async () => {
        const job = named("vmc-ci-job-job");
        expect(job.provider.split("::")[3]).toBe("vmc-bootstrap-provider");
        expect(job.deleteBeforeReplace).toBe(true);
        expect(dependsOn(job, "vmc-ci-secret-inner")).toBe(true);
        const { metadata, spec } = job.inputs as any;
        expect(metadata).toMatchObject({
            name: "cluster-api-provider-vsphere-ci",
            namespace: "default",
            annotations: { "pulumi.com/skipAwait": "true" },
        });
        expect(spec.backoffLimit).toBe(4);
        const pod = spec.template.spec;
        expect(pod.restartPolicy).toBe("Never");
        expect(pod.tolerations).toContainEqual({
            key: "node-role.kubernetes.io/master",
            operator: "Exists",
            effect: "NoSchedule",
        });
        const [container] = pod.containers;
        expect(container).toMatchObject({
            image: "gcr.io/cluster-api-provider-vsphere/pr/ci:debug",
            command: ["./clusterctl.sh"],
            securityContext: { privileged: true },
        });
        expect(container.env).toEqual(
            [
                ["PROVIDER_COMPONENT_SPEC", "provider-component-spec"],
                ["TARGET_VM_SSH", "target-vm-ssh"],
                ["TARGET_VM_SSH_PUB", "target-vm-ssh-pub"],
                ["BOOTSTRAP_KUBECONFIG", "bootstrap-kubeconfig"],
            ].map(([name, key]) => ({
                name,
                valueFrom: { secretKeyRef: { name: "clusterapi-provider-vsphere-ci-secret", key } },
            })),
        );
        const secretVolume = pod.volumes.find((v: any) => v.name === "ci-secret");
        expect(secretVolume.secret).toEqual({
            secretName: "clusterapi-provider-vsphere-ci-secret",
            defaultMode: 0o400,
        });

        const watch = named("vmc-ci-job-watch");
        expect(watch.inputs).toMatchObject({
            namespace: "default",
            job: "cluster-api-provider-vsphere-ci",
            timeoutSeconds: 900,
            artifactsDir: "vmc/ci-job",
        });
        expect(isSecretInput(watch.inputs.kubeconfig)).toBe(true);
        expect(isSecretInput(watch.inputs.redactions)).toBe(true);
        expect(reveal<string[]>(watch.inputs.redactions)).toContain(PASSWORD);
        expect(watch.additionalSecretOutputs).toEqual(["kubeconfig", "redactions"]);
        expect(dependsOn(watch, "vmc-ci-job-job")).toBe(true);
        expect(await unwrap(program.vmcCiJob as pulumi.Output<string>)).toBe(
            "default/cluster-api-provider-vsphere-ci",
        );
    });
});

describe("the ci stack's limited supervisor, under mocks", () => {
    it("deploys the four components through a provider on the cluster of supervisorKubeconfig", () => {
        const provider = named("supervisor-cluster");
        expect(isSecretInput(provider.inputs.kubeconfig)).toBe(true);
        expect(reveal(provider.inputs.kubeconfig)).toBe(SUPERVISOR_KUBECONFIG);
        const reference = `${urnOf(provider)}::${provider.id}`;
        const onCluster = recorded.filter(
            (r) =>
                r.type.startsWith("kubernetes:") &&
                !r.type.startsWith("kubernetes:yaml:") &&
                /^(vcsim-controller|vm-operator|net-operator|vm-operator-deps)-/.test(r.name),
        );
        expect(onCluster.length).toBeGreaterThan(20);
        for (const r of onCluster) {
            expect([r.name, r.provider]).toEqual([r.name, reference]);
        }
    });

    it("takes vm-operator's dependencies from VMC's vCenter, its credentials secret", () => {
        const ids = inputs("vm-operator-deps-ids");
        expect(ids.url).toBe("https://vcenter.sddc.vmwarevmc.com/sdk");
        // govc verifies VMC's certificate by its thumbprint.
        expect(ids.thumbprint).toBe(Array(32).fill("AB").join(":"));
        expect(ids.objects).toMatchObject({
            folder: "/Datacenter/vm/prow/k8s-infra-e2e-gcp-gcve-project-001",
            resourcePool:
                "/Datacenter/host/k8s-gcve-cluster/Resources/prow/k8s-infra-e2e-gcp-gcve-project-001",
        });
        const stringData = inputs("vm-operator-deps-secret").stringData;
        expect(isSecretInput(stringData)).toBe(true);
        expect(reveal(stringData)).toMatchObject({
            username: "cloudadmin@vmc.local",
            password: PASSWORD,
        });
    });

    it("waits for the real controller's EnvVar variables, as vcsim.sh polls, and exports them secret", async () => {
        expect(inputs("vcsim-controller-envvar").metadata.annotations).toEqual({
            "pulumi.com/waitFor": "jsonpath={.status.variables}",
        });
        expect(await pulumi.isSecret(program.supervisorVariables as pulumi.Output<unknown>)).toBe(
            true,
        );
    });
});
