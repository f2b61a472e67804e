import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import {
    isSecretInput,
    named,
    ofType,
    recorded,
    RecordedResource,
    reveal,
    settle,
    setupMocks,
    unwrap,
    urnOf,
} from "../support/mocks";
import { allObjectNames } from "../../components/devstack/names";
import { CI_DEVSTACK_CONFIG } from "../support/ci-devstack";

const RUN = {
    jobName: "pull-cluster-api-provider-openstack-e2e",
    buildId: "1855512345",
    prowJobId: "8d2c5e",
};

/** The program's exports (stack outputs): Outputs or plain values. */
let program: Record<string, pulumi.Input<unknown>>;

beforeAll(async () => {
    await setupMocks({
        stack: "ci-pull-capo-e2e-1855512345",
        config: { ...CI_DEVSTACK_CONFIG, ...RUN },
    });
    // The whole program, as `pulumi up` runs it: index.ts reads the configuration above.
    program = await ((await import("../../index")) as unknown as Promise<typeof program>);
    await unwrap(program.openstackCloudYamlFile as pulumi.Output<string>);
});

afterAll(() => settle());

const inputs = (name: string) => named(name).inputs as Record<string, any>;
const dependsOn = (r: RecordedResource, on: string) => r.dependencies.includes(urnOf(named(on)));

describe("the ci stack's DevStack, under mocks", () => {
    it("builds every object of the two-node DevStack", () => {
        const types = recorded.map((r) => r.type);
        expect(types.filter((t) => t === "gcp:compute/firewall:Firewall")).toHaveLength(5);
        for (const t of [
            "k8sci:devstack:DevStack",
            "pulumi:providers:gcp",
            "gcp:compute/network:Network",
            "gcp:compute/subnetwork:Subnetwork",
            "gcp:compute/router:Router",
            "gcp:compute/routerNat:RouterNat",
            "command:local:Command",
            "command:remote:Command",
        ]) {
            expect([t, types.includes(t)]).toEqual([t, true]);
        }
        expect(ofType("gcp:compute/instance:Instance").map((r) => r.name)).toEqual([
            "capo-e2e-controller",
            "capo-e2e-worker",
        ]);
    });

    it("uses the GCP provider configured with the project, region and zone", () => {
        expect(ofType("pulumi:providers:gcp")[0].inputs).toMatchObject({
            project: "capo-boskos-17",
            region: "us-east4",
            zone: "us-east4-a",
        });
    });

    it("makes a custom-mode VPC with MTU 1460, the private subnet, a router and NAT", () => {
        expect(inputs("capo-e2e-mynetwork")).toMatchObject({
            autoCreateSubnetworks: false,
            mtu: 1460,
        });
        expect(inputs("capo-e2e-subnet")).toMatchObject({
            name: "capo-e2e-mynetwork",
            ipCidrRange: "10.0.3.0/24",
            region: "us-east4",
        });
        expect(inputs("capo-e2e-mynat")).toMatchObject({
            router: "capo-e2e-myrouter",
            natIpAllocateOption: "AUTO_ONLY",
            sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
        });
    });

    it("opens the five ingress rules of CAPO's create_devstack.sh", () => {
        const rule = (suffix: string) => inputs(`capo-e2e-mynetwork-allow-${suffix}`);
        expect(rule("http")).toMatchObject({
            direction: "INGRESS",
            allows: [{ protocol: "tcp", ports: ["80"] }],
            sourceRanges: ["0.0.0.0/0"],
        });
        expect(rule("neutron").allows).toEqual([{ protocol: "tcp", ports: ["9696"] }]);
        expect(rule("icmp")).toMatchObject({ allows: [{ protocol: "icmp" }], priority: 65534 });
        expect(rule("ssh")).toMatchObject({
            allows: [{ protocol: "tcp", ports: ["22"] }],
            priority: 65534,
        });
        expect(rule("internal")).toMatchObject({ sourceRanges: ["10.0.3.0/24"], priority: 65534 });
        expect(rule("internal").allows.map((a: { protocol: string }) => a.protocol)).toEqual([
            "tcp",
            "udp",
            "icmp",
        ]);
    });

    it("labels every object for the run: labels where GCP takes them, a description elsewhere", () => {
        for (const r of ofType("gcp:compute/instance:Instance")) {
            expect(r.inputs.labels).toMatchObject({
                "created-by": "k8s-ci-envs",
                "k8s-ci-envs-stack": "ci-pull-capo-e2e-1855512345",
                "prow-job": RUN.jobName,
                "prow-build": RUN.buildId,
                "prow-job-id": RUN.prowJobId,
                "ttl-hours": "24",
            });
            expect((r.inputs.bootDisk as any).initializeParams.labels).toEqual(r.inputs.labels);
        }
        const described = recorded.filter((r) =>
            /Network|Subnetwork|Firewall|Router$/.test(r.type.split(":").pop()!),
        );
        expect(described.length).toBe(8);
        for (const r of described) {
            expect([r.name, r.inputs.description]).toEqual([
                r.name,
                expect.stringContaining(`prow-build=${RUN.buildId}`),
            ]);
        }
    });

    it("gives the controller and worker their machines, zones, nested virtualization and fixed IPs", () => {
        const instance = (role: string) => inputs(`capo-e2e-${role}`);
        for (const [role, machineType, ip, zone] of [
            ["controller", "n2-standard-16", "10.0.3.15", "us-east4-a"],
            ["worker", "n2-standard-8", "10.0.3.16", "us-east4-b"],
        ]) {
            expect(instance(role)).toMatchObject({
                machineType,
                zone,
                minCpuPlatform: "Intel Cascade Lake",
                advancedMachineFeatures: { enableNestedVirtualization: true },
                bootDisk: {
                    initializeParams: {
                        image: "ubuntu-os-cloud/ubuntu-2404-lts-amd64",
                        size: 500,
                        type: "pd-ssd",
                    },
                },
                canIpForward: true,
                tags: ["http-server", "https-server", "novnc", "openstack-apis"],
            });
            expect(instance(role).networkInterfaces[0]).toMatchObject({
                networkIp: ip,
                accessConfigs: [{}],
            });
            const metadata = reveal<Record<string, string>>(instance(role).metadata);
            expect(metadata["user-data"].startsWith("#cloud-config\n")).toBe(true);
            expect(yaml.load(metadata["user-data"])).toHaveProperty("write_files");
            expect(metadata["ssh-keys"]).toMatch(/^cloud:ssh-rsa AAAA/);
        }
    });

    it("replaces a machine by deleting it first: two machines cannot hold one fixed IP", () => {
        expect(named("capo-e2e-controller").deleteBeforeReplace).toBe(true);
        expect(named("capo-e2e-worker").deleteBeforeReplace).toBe(true);
    });

    it("names every GCP object from the prefix, as the name-length rule counts them", () => {
        const names = recorded
            .filter((r) => r.type.startsWith("gcp:compute/"))
            .map((r) => r.inputs.name as string);
        expect(names.sort()).toEqual(allObjectNames("capo-e2e").sort());
    });

    it("creates the worker after the controller, and waits only for the controller's cloud-init", () => {
        const worker = named("capo-e2e-worker");
        expect(dependsOn(worker, "capo-e2e-controller")).toBe(true);
        const wait = named("devstack-controller-cloud-init");
        expect(wait.inputs.create).toBe("cloud-init status --wait --long || [ $? -eq 2 ]");
        expect(reveal(wait.inputs.connection)).toMatchObject({
            host: "34.86.1.2",
            user: "cloud",
            dialErrorLimit: 20,
        });
        expect(dependsOn(wait, "capo-e2e-controller")).toBe(true);
        expect(dependsOn(wait, "capo-e2e-worker")).toBe(false);
        const cloudsYaml = named("devstack-clouds-yaml");
        expect(dependsOn(cloudsYaml, "devstack-identity-api")).toBe(true);
        expect(dependsOn(cloudsYaml, "capo-e2e-worker")).toBe(false);
        expect(dependsOn(named("capo-e2e-controller"), "capo-e2e-mynat")).toBe(true);
    });

    it("declares the cloud ready once the Identity API answers through the tunnel", () => {
        const check = named("devstack-identity-api");
        expect(check.inputs.create).toContain("http://10.0.3.15/identity/v3");
        expect(dependsOn(check, "devstack-sshuttle")).toBe(true);
        expect(dependsOn(check, "devstack-controller-cloud-init")).toBe(true);
        expect(dependsOn(check, "capo-e2e-worker")).toBe(false);
    });

    it("collects both machines' logs into $ARTIFACTS on destroy, before the machines go", () => {
        const logs = named("devstack-logs");
        expect(logs.inputs.delete).toContain('"$ARTIFACTS/devstack/controller/journal.log"');
        expect(logs.inputs.delete).toContain('"$ARTIFACTS/devstack/worker/stack.sh.log"');
        expect(dependsOn(logs, "capo-e2e-worker")).toBe(true);
        expect(dependsOn(logs, "devstack-ssh-private-key")).toBe(true);
    });

    it("starts the tunnel once the controller and its key file exist, and stops it on destroy", () => {
        const tunnel = named("devstack-sshuttle");
        expect(dependsOn(tunnel, "capo-e2e-controller")).toBe(true);
        expect(dependsOn(tunnel, "devstack-ssh-private-key")).toBe(true);
        expect(tunnel.inputs.create).toContain("10.0.3.0/24");
        expect(tunnel.inputs.create).toContain("172.24.4.0/24");
        expect(tunnel.inputs.create).toContain("want='1.1.1'");
        expect(tunnel.inputs.delete).toContain("sshuttle.pid");
        // The old daemon must let go of the pidfile and routes before a new one starts.
        expect(named("devstack-sshuttle").deleteBeforeReplace).toBe(true);
    });

    it("parents every object on the DevStack component", () => {
        const component = urnOf(named("devstack"));
        for (const r of recorded.filter((r) => !/^pulumi:|^k8sci:devstack/.test(r.type))) {
            expect([r.name, r.parent]).toEqual([r.name, component]);
        }
    });

    it("keeps every credential secret", async () => {
        expect(named("devstack-ssh-key").additionalSecretOutputs).toEqual(["privateKeyPem"]);
        for (const role of ["database", "rabbit", "admin", "service"]) {
            expect(named(`devstack-${role}-password`).additionalSecretOutputs).toEqual(["value"]);
        }
        expect(named("devstack-clouds-yaml").additionalSecretOutputs).toEqual(["content"]);
        expect(await pulumi.isSecret(program.cloudsYaml as pulumi.Output<string>)).toBe(true);
        // The user data holds DevStack's service passwords; the connection holds the private key.
        for (const role of ["controller", "worker"]) {
            expect(isSecretInput(inputs(`capo-e2e-${role}`).metadata)).toBe(true);
        }
        expect(isSecretInput(named("devstack-controller-cloud-init").inputs.connection)).toBe(true);
        expect(isSecretInput(named("devstack-ssh-private-key").inputs.content)).toBe(true);
        expect(isSecretInput(named("devstack-clouds-yaml").inputs.content)).toBe(true);
    });

    it("exports what CAPO's e2e configuration reads", async () => {
        expect(await unwrap(program.openstackFailureDomain)).toBe("testaz1");
        expect(await unwrap(program.openstackFailureDomainAlt)).toBe("testaz2");
        expect(await unwrap(program.openstackCloud)).toBe("capo-e2e");
        expect(await unwrap(program.openstackCloudYamlFile)).toMatch(
            /out\/ci-pull-capo-e2e-1855512345\/clouds\.yaml$/,
        );
        const clouds = yaml.load((await unwrap(program.cloudsYaml)) as string) as {
            clouds: object;
        };
        expect(Object.keys(clouds.clouds)).toEqual(["capo-e2e", "capo-e2e-admin"]);
        expect(await unwrap(program.devstackControllerPublicIp)).toBe("34.86.1.2");
        expect(await unwrap(program.devstackZone)).toBe("us-east4-a");
        expect(await unwrap(program.devstackWorkerZone)).toBe("us-east4-b");
        for (const entry of Object.values(clouds.clouds) as { auth: { auth_url: string } }[]) {
            expect(entry.auth.auth_url).toBe("http://34.86.1.2/identity");
        }
    });
});
