import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ConfigValue, EngineEvent, UpOptions } from "@pulumi/pulumi/automation";
import { setupMocks } from "../mocks";
import type * as CiRun from "../../stacks/ci-run";

let ciRun: typeof CiRun;

beforeAll(async () => {
    await setupMocks();
    ciRun = await import("../../stacks/ci-run");
});

const STOCKOUT =
    "1 error occurred: googleapi: Error 503: The zone 'projects/p/zones/us-east4-a' does not have enough resources available to fulfill the request., ZONE_RESOURCE_POOL_EXHAUSTED";
const instanceUrn = (name: string) =>
    `urn:pulumi:ci-pull-capo-e2e-77::k8s-ci-envs::k8sci:devstack:DevStack$gcp:compute/instance:Instance::${name}`;

/**
 * A run's stack whose `up` creates the controller, then the worker, as the engine would: a
 * machine in one of its `full` zones fails with a stockout the engine reports for its URN.
 */
function fakeStack(
    config: Record<string, ConfigValue>,
    full: { controller?: string[]; worker?: string[] },
    report: (role: string) => EngineEvent["diagnosticEvent"] = (role) => ({
        urn: instanceUrn(`capo-e2e-${role}`),
        message: STOCKOUT,
        color: "never",
        severity: "error",
    }),
) {
    const ups: { controller: string; worker: string }[] = [];
    const stack = {
        name: "ci-pull-capo-e2e-77",
        getAllConfig: async () => config,
        setConfig: async (key: string, value: ConfigValue) => {
            config[key] = value;
        },
        up: async (opts?: UpOptions) => {
            const zones = {
                controller: config["k8s-ci-envs:gcpZone"]?.value ?? "",
                worker: config["k8s-ci-envs:gcpWorkerZone"]?.value ?? "",
            };
            ups.push(zones);
            for (const role of ["controller", "worker"] as const) {
                if (full[role]?.includes(zones[role])) {
                    opts?.onEvent?.({
                        sequence: 1,
                        timestamp: 0,
                        diagnosticEvent: report(role),
                    });
                    throw new Error("update failed");
                }
            }
            return {} as never;
        },
    };
    return { stack, ups };
}

const DEVSTACK_RUN = {
    "k8s-ci-envs:composition": { value: "ci" },
    "k8s-ci-envs:ciEnvironments": { value: '["devstack"]' },
    "k8s-ci-envs:gcpProject": { value: "boskos-3" },
};

function withCiStackFile<T>(content: string, use: (file: string) => T): T {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-run-"));
    const file = path.join(dir, "Pulumi.ci.yaml");
    fs.writeFileSync(file, content);
    try {
        return use(file);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("the CI run flow", () => {
    it("names one stack per Prow run", () => {
        expect(
            ciRun.runStackName({
                JOB_NAME: "pull-cluster-api-provider-openstack-e2e",
                BUILD_ID: "1855",
            }),
        ).toBe("ci-pull-cluster-api-provider-openstack-e2e-1855");
        expect(() => ciRun.runStackName({ JOB_NAME: "j" })).toThrow(/BUILD_ID/);
    });

    it("starts from Pulumi.ci.yaml and adds the environments, the run's identity and Boskos's project", () => {
        const config = withCiStackFile(
            "config:\n  k8s-ci-envs:composition: ci\n  k8s-ci-envs:gcpZones: [us-east4-b]\n  k8s-ci-envs:vspherePassword:\n    secure: v1:abc\n",
            (file) =>
                ciRun.runConfig(file, {
                    JOB_NAME: "j",
                    BUILD_ID: "7",
                    PROW_JOB_ID: "p",
                    GCP_PROJECT: "boskos-3",
                }),
        );
        expect(config).toEqual({
            "k8s-ci-envs:composition": { value: "ci" },
            "k8s-ci-envs:gcpZones": { value: '["us-east4-b"]' },
            // The ci stack's environments (by default vmc, devstack, prow) without prow.
            "k8s-ci-envs:ciEnvironments": { value: '["vmc","devstack"]' },
            "k8s-ci-envs:jobName": { value: "j" },
            "k8s-ci-envs:buildId": { value: "7" },
            "k8s-ci-envs:prowJobId": { value: "p" },
            "k8s-ci-envs:gcpProject": { value: "boskos-3" },
        });
    });

    it("builds only the environments the job names: a DevStack-only run needs no vSphere key", async () => {
        const config = withCiStackFile(
            "config:\n  k8s-ci-envs:ciEnvironments: [vmc, devstack, prow]\n",
            (file) =>
                ciRun.runConfig(file, { JOB_NAME: "j", BUILD_ID: "7", GCP_PROJECT: "boskos-3" }, [
                    "devstack",
                ]),
        );
        expect(config["k8s-ci-envs:ciEnvironments"]).toEqual({ value: '["devstack"]' });
        const { stack, ups } = fakeStack(config, {});
        await ciRun.upWithFallback(stack, () => undefined);
        expect(ups).toHaveLength(1);
    });

    it("takes the environments from the command line, else from $CI_ENVIRONMENTS", () => {
        expect(ciRun.requestedEnvironments(["devstack"], { CI_ENVIRONMENTS: "vmc" })).toEqual([
            "devstack",
        ]);
        expect(ciRun.requestedEnvironments([], { CI_ENVIRONMENTS: "vmc, devstack" })).toEqual([
            "vmc",
            "devstack",
        ]);
        expect(ciRun.requestedEnvironments([], {})).toEqual([]);
    });

    it("refuses prow in a run: the registration is long-lived and lives in the ci stack", () => {
        expect(() => ciRun.runEnvironments(["devstack", "prow"], {})).toThrow(
            /prow cannot be built by a CI run: the Prow registration is long-lived.*npm run up ci/,
        );
        expect(() => ciRun.runEnvironments(["openstack"], {})).toThrow(
            "unknown environment openstack: a CI run builds vmc, devstack",
        );
        expect(() =>
            ciRun.runEnvironments([], {
                "k8s-ci-envs:ciEnvironments": { value: '["prow"]' },
            }),
        ).toThrow(/nothing to build/);
    });

    it("reports a malformed ciEnvironments by its key, not as nothing to build", () => {
        expect(() =>
            ciRun.runEnvironments([], {
                "k8s-ci-envs:ciEnvironments": { value: "vmc, devstack" },
            }),
        ).toThrow(/k8s-ci-envs:ciEnvironments must be a list of strings; got vmc, devstack/);
        expect(() =>
            withCiStackFile("config:\n  k8s-ci-envs:ciEnvironments: {devstack: true}\n", (file) =>
                ciRun.runConfig(file, { JOB_NAME: "j", BUILD_ID: "7" }),
            ),
        ).toThrow(/k8s-ci-envs:ciEnvironments must be a list of strings/);
    });

    it("refuses a run's stack that lists prow, whatever set it", async () => {
        const { stack, ups } = fakeStack(
            {
                ...DEVSTACK_RUN,
                "k8s-ci-envs:ciEnvironments": { value: '["devstack","prow"]' },
                "k8s-ci-envs:jobName": { value: "pull-capo-e2e" },
            },
            {},
        );
        await expect(ciRun.upWithFallback(stack, () => undefined)).rejects.toThrow(
            /k8s-ci-envs:ciEnvironments must not list prow in a CI run's stack/,
        );
        expect(ups).toEqual([]);
    });

    it("moves only the worker when GCE has no capacity for it once the controller exists", async () => {
        const { stack, ups } = fakeStack(
            { ...DEVSTACK_RUN },
            { worker: ["us-east4-a", "us-east4-b"] },
        );
        const lines: string[] = [];
        expect(await ciRun.upWithFallback(stack, (l) => lines.push(l))).toEqual({
            controller: "us-east4-a",
            worker: "us-east4-c",
        });
        expect(ups.map((u) => u.controller)).toEqual(["us-east4-a", "us-east4-a", "us-east4-a"]);
        expect(ups.map((u) => u.worker)).toEqual(["us-east4-a", "us-east4-b", "us-east4-c"]);
        expect(lines).toEqual([
            "zone us-east4-a has no capacity for the DevStack's worker: trying us-east4-b\n",
            "zone us-east4-b has no capacity for the DevStack's worker: trying us-east4-c\n",
        ]);
    });

    it("moves the controller alone when it is the one GCE cannot place", async () => {
        const { stack, ups } = fakeStack({ ...DEVSTACK_RUN }, { controller: ["us-east4-a"] });
        expect(await ciRun.upWithFallback(stack, () => undefined)).toEqual({
            controller: "us-east4-b",
            worker: "us-east4-a",
        });
        expect(ups).toHaveLength(2);
    });

    it("fails the run when every zone of gcpZones is full", async () => {
        const { stack, ups } = fakeStack(
            { ...DEVSTACK_RUN, "k8s-ci-envs:gcpZones": { value: '["us-east4-b","us-east4-c"]' } },
            { controller: ["us-east4-b", "us-east4-c"] },
        );
        await expect(ciRun.upWithFallback(stack, () => undefined)).rejects.toThrow(/update failed/);
        expect(ups.map((u) => u.controller)).toEqual(["us-east4-b", "us-east4-c"]);
    });

    it("fails at once on a stockout the engine reports for no machine", async () => {
        const { stack, ups } = fakeStack(
            { ...DEVSTACK_RUN },
            { controller: ["us-east4-a"] },
            () => ({
                message: STOCKOUT,
                color: "never",
                severity: "error",
            }),
        );
        await expect(ciRun.upWithFallback(stack, () => undefined)).rejects.toThrow(/update failed/);
        expect(ups).toHaveLength(1);
    });

    it("refuses a bad configuration before any up", async () => {
        const { stack, ups } = fakeStack(
            {
                "k8s-ci-envs:composition": { value: "ci" },
                "k8s-ci-envs:ciEnvironments": { value: '["devstack"]' },
            },
            {},
        );
        await expect(ciRun.upWithFallback(stack, () => undefined)).rejects.toThrow(
            /k8s-ci-envs:gcpProject/,
        );
        expect(ups).toEqual([]);
    });
});
