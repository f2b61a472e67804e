import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { settle, setupMocks, unwrap } from "../support/mocks";
import type * as ConfigModule from "../../stacks/config";

const ROOT = path.resolve(__dirname, "../..");

let config: typeof ConfigModule;

beforeAll(async () => {
    await setupMocks();
    config = await import("../../stacks/config");
});

afterAll(() => settle());

/** A ConfigSource over plain values; `secrets` are returned by getSecret only. */
function source(values: Record<string, string>, secrets: Record<string, string> = {}) {
    return {
        get: (key: string) => values[key],
        getSecret: (key: string) =>
            secrets[key] === undefined ? undefined : pulumi.secret(secrets[key]),
    };
}

function errorOf(values: Record<string, string>, secrets?: Record<string, string>): string {
    try {
        config.readSettings(source(values, secrets), "local", ROOT);
    } catch (err) {
        return (err as Error).message;
    }
    throw new Error("expected the configuration to be refused");
}

const CI = {
    composition: "ci",
    ciEnvironments: '["vmc"]',
    vsphereServer: "vcenter.sddc-44-1.vmwarevmc.com",
    vsphereUsername: "cloudadmin@vmc.local",
    vsphereTlsThumbprint: Array(32).fill("0F").join(":"),
    // Any readable file stands for CAPV's provider components here.
    vmcProviderComponentSpec: "package.json",
};

describe("readSettings", () => {
    it("builds the local composition from no configuration at all", () => {
        const settings = config.readSettings(source({}), "local", ROOT);
        expect(settings.composition).toBe("local");
        if (settings.composition !== "local") throw new Error("unreachable");
        expect(settings.stackDir).toBe(path.join(ROOT, "out", "local"));
        expect(settings.simulator).toMatchObject({
            vsphereVersion: "7.0.0",
            datacenters: 1,
            clusters: 1,
            hostsPerCluster: 3,
            resourcePools: 0,
            datastores: 1,
            inventoryNames: "vmc",
        });
        expect(settings.endpointPorts).toEqual({ min: 20000, max: 24000 });
        expect(settings.cluster).toMatchObject({ name: "cluster1", kubernetesVersion: "v1.28.0" });
    });

    it.each([
        [
            { vcsimDatacenters: "0" },
            "k8s-ci-envs:vcsimDatacenters must be an integer from 1 to 10; got 0",
        ],
        [
            { vcsimHostsPerCluster: "-2" },
            "k8s-ci-envs:vcsimHostsPerCluster must be an integer from 1 to 32; got -2",
        ],
        [{ vcsimClusters: "two" }, 'k8s-ci-envs:vcsimClusters must be an integer; got "two"'],
        [{ vcsimVsphereVersion: "9.9.9" }, "k8s-ci-envs:vcsimVsphereVersion must be one of 6.7.0"],
        [
            { controlPlaneEndpointPorts: "19000-20000" },
            "k8s-ci-envs:controlPlaneEndpointPorts must be a range MIN-MAX within 20000-24000",
        ],
        [
            { controlPlaneEndpointPorts: "23000-25000" },
            "k8s-ci-envs:controlPlaneEndpointPorts must be a range MIN-MAX within 20000-24000",
        ],
        [
            { controlPlaneEndpointPorts: "any" },
            "k8s-ci-envs:controlPlaneEndpointPorts must be a range MIN-MAX such as 20000-24000",
        ],
        [{ clusterName: "Cluster_1" }, "k8s-ci-envs:clusterName must be a DNS label"],
        [{ kubernetesVersion: "v1.27.0" }, "k8s-ci-envs:kubernetesVersion has no machine template"],
        [
            { vcsimTemplates: "[]" },
            "k8s-ci-envs:vcsimTemplates must list at least one machine template",
        ],
        [{ vcsimTemplates: "not json" }, "k8s-ci-envs:vcsimTemplates must be a list of strings"],
        [
            { vcsimInventoryNames: "vsan" },
            "k8s-ci-envs:vcsimInventoryNames must be one of vmc, vcsim",
        ],
        [
            { clusterDatacenter: "1" },
            "k8s-ci-envs:clusterDatacenter must be an integer from 0 to 0; got 1",
        ],
        [{ powerOffMode: "off" }, "k8s-ci-envs:powerOffMode must be one of hard, soft, trySoft"],
        [{ envVarMode: "tanzu" }, "k8s-ci-envs:envVarMode must be one of govmomi, supervisor"],
        [{ composition: "staging" }, "k8s-ci-envs:composition must be one of local, ci"],
    ])("refuses %j naming the key and the rule", (values, expected) => {
        expect(errorOf(values)).toContain(expected);
    });

    it("reads the run's identity, the pull request included, for janitors' labels", () => {
        const settings = config.readSettings(
            source({ jobName: "pull-capo-e2e", buildId: "9", prowJobId: "p", pullNumber: "2311" }),
            "ci-pull-capo-e2e-9",
            ROOT,
        );
        expect(settings.run).toEqual({
            stack: "ci-pull-capo-e2e-9",
            jobName: "pull-capo-e2e",
            buildId: "9",
            prowJobId: "p",
            pullNumber: "2311",
            ttlHours: 24,
        });
    });

    it("names a malformed key once, though several settings read it", () => {
        const message = errorOf({ vcsimTemplates: "not-a-list" });
        const malformed = message
            .split("\n")
            .filter((l) => l.startsWith("k8s-ci-envs:vcsimTemplates must be a list of strings"));
        expect(malformed).toHaveLength(1);
    });

    it("lists every offending key in one error", () => {
        const message = errorOf({
            vcsimDatacenters: "0",
            vcsimHostsPerCluster: "-1",
            clusterName: "A",
        });
        expect(message.split("\n").filter((l) => l.startsWith("k8s-ci-envs:"))).toHaveLength(3);
    });

    it("accepts a complete ci configuration and keeps the password secret", async () => {
        const settings = config.readSettings(
            source(CI, { vspherePassword: "hunter2", vmcCiSecret: "{}" }),
            "ci",
            ROOT,
        );
        if (settings.composition !== "ci" || !settings.vcenter) throw new Error("expected vmc");
        expect(settings.vcenter.server).toBe(CI.vsphereServer);
        expect(settings.vcenter.datacenter).toBe("SDDC-Datacenter");
        expect(await pulumi.isSecret(settings.vcenter.password)).toBe(true);
        expect(await unwrap(settings.vcenter.password)).toBe("hunter2");
    });

    it.each([
        ["vsphereServer", "is required when ciEnvironments lists vmc"],
        ["vsphereUsername", "is required when ciEnvironments lists vmc"],
        ["vsphereTlsThumbprint", "is required when ciEnvironments lists vmc"],
    ])("refuses a ci stack without %s", (key, rule) => {
        const values: Record<string, string> = { ...CI };
        delete values[key];
        expect(errorOf(values, { vspherePassword: "x" })).toContain(`k8s-ci-envs:${key} ${rule}`);
    });

    it("refuses a ci stack without the secret password", () => {
        expect(errorOf(CI)).toContain(
            "k8s-ci-envs:vspherePassword is required when ciEnvironments lists vmc",
        );
    });

    it("refuses a ci supervisor from the simulator, or without VMC's connection", () => {
        const secrets = { vspherePassword: "x", supervisorKubeconfig: "apiVersion: v1" };
        expect(errorOf(CI, secrets)).toContain(
            "k8s-ci-envs:supervisorSimulator must be false in ci, which has no simulator",
        );
        const noVmc = { ...CI, ciEnvironments: '["prow"]', supervisorSimulator: "false" };
        expect(errorOf({ ...noVmc, supervisorConnection: "true" }, secrets)).toContain(
            "k8s-ci-envs:supervisorKubeconfig needs VMC's connection for vm-operator's dependencies: ciEnvironments must list vmc",
        );
    });

    it("refuses a thumbprint that is not SHA-256 colon-hex", () => {
        const values = { ...CI, vsphereTlsThumbprint: "AB:CD" };
        expect(errorOf(values, { vspherePassword: "x" })).toContain(
            "k8s-ci-envs:vsphereTlsThumbprint must be a SHA-256 thumbprint",
        );
    });
});

describe("loadSettings under the Pulumi runtime", () => {
    it("reads this project's keys from the stack configuration", async () => {
        await setupMocks({
            stack: "local-x",
            config: { vcsimDatacenters: "2", clusterName: "capv-e2e" },
        });
        const settings = config.loadSettings();
        expect(settings.stack).toBe("local-x");
        if (settings.composition !== "local") throw new Error("expected local");
        expect(settings.simulator.datacenters).toBe(2);
        expect(settings.cluster.name).toBe("capv-e2e");
    });

    it("fails before any resource is registered", async () => {
        await setupMocks({ config: { vcsimDatacenters: "0" } });
        expect(() => config.loadSettings()).toThrow(/k8s-ci-envs:vcsimDatacenters/);
    });
});

describe("the project files", () => {
    it("commits no credential in plaintext in any stack file", () => {
        for (const file of fs.readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
            const stack = (yaml.load(fs.readFileSync(path.join(ROOT, file), "utf8")) ?? {}) as {
                config?: Record<string, unknown>;
            };
            for (const key of config.SECRET_KEYS) {
                const value = stack.config?.[`${config.PROJECT}:${key}`];
                expect([
                    file,
                    typeof value === "string" ? "plaintext" : "secure or absent",
                ]).toEqual([file, "secure or absent"]);
            }
        }
    });

    it("pins the Pulumi CLI at the @pulumi/pulumi release the program uses", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        const goMod = fs.readFileSync(path.join(ROOT, "hack/tools/pulumi/go.mod"), "utf8");
        const cli = /github\.com\/pulumi\/pulumi\/pkg\/v3 v(\S+)/.exec(goMod)?.[1];
        expect(cli).toBe(pkg.dependencies["@pulumi/pulumi"]);
    });
});

describe("the ci stack's DevStack configuration", () => {
    const DEVSTACK = {
        composition: "ci",
        ciEnvironments: '["devstack"]',
        gcpProject: "capo-boskos-17",
    };

    function devstackOf(values: Record<string, string>) {
        const settings = config.readSettings(source({ ...DEVSTACK, ...values }), "ci-1", ROOT);
        if (settings.composition !== "ci" || !settings.devstack)
            throw new Error("expected a devstack");
        return settings.devstack;
    }

    it("takes CAPO's create_devstack.sh defaults, deriving the machines' addresses and fallback zones", () => {
        expect(devstackOf({})).toMatchObject({
            name: "capo-e2e",
            region: "us-east4",
            zone: "us-east4-a",
            zones: ["us-east4-a", "us-east4-b", "us-east4-c"],
            privateCidr: "10.0.3.0/24",
            controllerIp: "10.0.3.15",
            workerIp: "10.0.3.16",
            controllerMachineType: "n2-standard-16",
            workerMachineType: "n2-standard-8",
            vcpuQuota: 24,
        });
        expect(
            devstackOf({ gcpRegion: "europe-west4", devstackPrivateCidr: "192.168.40.0/22" }),
        ).toMatchObject({
            zone: "europe-west4-a",
            zones: ["europe-west4-a", "europe-west4-b", "europe-west4-c"],
            controllerIp: "192.168.40.15",
            workerIp: "192.168.40.16",
        });
    });

    it("takes the project as shared unless gcpProjectLeased says it is the run's alone", () => {
        expect(devstackOf({}).projectLeased).toBe(false);
        expect(devstackOf({ gcpProjectLeased: "true" }).projectLeased).toBe(true);
        expect(devstackOf({ gcpProjectLeased: "false" }).projectLeased).toBe(false);
    });

    it("does not need VMC's keys when only the DevStack is built", () => {
        expect(() => devstackOf({})).not.toThrow();
    });

    it.each([
        [
            { gcpProject: "" },
            "k8s-ci-envs:gcpProject is required when ciEnvironments lists devstack",
        ],
        [{ gcpZone: "us-west1-b" }, "k8s-ci-envs:gcpZone must be a zone of region us-east4"],
        [
            { devstackWorkerMachineType: "n2-standard-16" },
            "k8s-ci-envs:devstackVcpuQuota is 24 vCPUs, but controller n2-standard-16 (16) and worker n2-standard-16 (16) need 32",
        ],
        [
            { devstackFloatingRange: "10.0.0.0/8" },
            "k8s-ci-envs:devstackFloatingRange must not overlap devstackPrivateCidr 10.0.3.0/24",
        ],
        [
            { devstackPrivateCidr: "10.0.3.0/33" },
            "k8s-ci-envs:devstackPrivateCidr must be an IPv4 CIDR",
        ],
        [
            { devstackControllerIp: "10.9.9.9" },
            "k8s-ci-envs:devstackControllerIp 10.9.9.9 is outside devstackPrivateCidr 10.0.3.0/24",
        ],
        [
            { devstackControllerMachineType: "huge" },
            "k8s-ci-envs:devstackControllerMachineType must be a GCE machine type",
        ],
        [
            { gcpZones: '["us-east4-a","us-east1-b"]' },
            "k8s-ci-envs:gcpZones[1] must be a zone of region us-east4",
        ],
        [
            { ciEnvironments: '["devstack","openstack"]' },
            "k8s-ci-envs:ciEnvironments[1] must be one of vmc, devstack",
        ],
        [
            { gcpProjectLeased: "yes" },
            'k8s-ci-envs:gcpProjectLeased must be true or false; got "yes"',
        ],
    ])("refuses %j naming the key and the rule", (values, expected) => {
        expect(() => devstackOf(values)).toThrow(expected);
    });
});
