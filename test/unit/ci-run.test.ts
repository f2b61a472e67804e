import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ConfigValue } from "@pulumi/pulumi/automation";
import { setupMocks } from "../mocks";
import type * as CiRun from "../../stacks/ci-run";

let ciRun: typeof CiRun;

beforeAll(async () => {
    await setupMocks();
    ciRun = await import("../../stacks/ci-run");
});

const STOCKOUT =
    "The zone 'projects/p/zones/us-east4-a' does not have enough resources available to fulfill the request";

/** A stack whose `up` fails with a stockout in the zones listed in `full`. */
function fakeStack(config: Record<string, ConfigValue>, full: string[]) {
    const ups: string[] = [];
    const stack = {
        name: "ci-pull-capo-e2e-77",
        getAllConfig: async () => config,
        setConfig: async (key: string, value: ConfigValue) => {
            config[key] = value;
        },
        up: async () => {
            const zone = config["k8s-ci-envs:gcpZone"]?.value ?? "";
            ups.push(zone);
            if (full.includes(zone)) {
                throw new Error(`update failed: ${STOCKOUT}`);
            }
            return {} as never;
        },
    };
    return { stack, ups };
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

    it("starts from Pulumi.ci.yaml and adds the run's identity and Boskos's project", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-run-"));
        const file = path.join(dir, "Pulumi.ci.yaml");
        fs.writeFileSync(
            file,
            "config:\n  k8s-ci-envs:composition: ci\n  k8s-ci-envs:gcpZones: [us-east4-b]\n  k8s-ci-envs:vspherePassword:\n    secure: v1:abc\n",
        );
        try {
            const config = ciRun.runConfig(file, {
                JOB_NAME: "j",
                BUILD_ID: "7",
                PROW_JOB_ID: "p",
                GCP_PROJECT: "boskos-3",
            });
            expect(config).toEqual({
                "k8s-ci-envs:composition": { value: "ci" },
                "k8s-ci-envs:gcpZones": { value: '["us-east4-b"]' },
                "k8s-ci-envs:jobName": { value: "j" },
                "k8s-ci-envs:buildId": { value: "7" },
                "k8s-ci-envs:prowJobId": { value: "p" },
                "k8s-ci-envs:gcpProject": { value: "boskos-3" },
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("moves a DevStack to the region's next zone when GCE has no capacity", async () => {
        const { stack, ups } = fakeStack(
            {
                "k8s-ci-envs:composition": { value: "ci" },
                "k8s-ci-envs:ciEnvironments": { value: '["devstack"]' },
                "k8s-ci-envs:gcpProject": { value: "boskos-3" },
            },
            ["us-east4-a", "us-east4-b"],
        );
        const lines: string[] = [];
        expect(await ciRun.upWithFallback(stack, (l) => lines.push(l))).toBe("us-east4-c");
        expect(ups).toEqual(["us-east4-a", "us-east4-b", "us-east4-c"]);
        expect(lines).toEqual([
            "zone us-east4-a has no capacity for the DevStack: trying us-east4-b\n",
            "zone us-east4-b has no capacity for the DevStack: trying us-east4-c\n",
        ]);
    });

    it("fails the run when every zone of gcpZones is full", async () => {
        const { stack, ups } = fakeStack(
            {
                "k8s-ci-envs:composition": { value: "ci" },
                "k8s-ci-envs:ciEnvironments": { value: '["devstack"]' },
                "k8s-ci-envs:gcpProject": { value: "boskos-3" },
                "k8s-ci-envs:gcpZones": { value: '["us-east4-b","us-east4-c"]' },
            },
            ["us-east4-b", "us-east4-c"],
        );
        await expect(ciRun.upWithFallback(stack, () => undefined)).rejects.toThrow(
            /enough resources/,
        );
        expect(ups).toEqual(["us-east4-b", "us-east4-c"]);
    });

    it("refuses a bad configuration before any up", async () => {
        const { stack, ups } = fakeStack(
            {
                "k8s-ci-envs:composition": { value: "ci" },
                "k8s-ci-envs:ciEnvironments": { value: '["devstack"]' },
            },
            [],
        );
        await expect(ciRun.upWithFallback(stack, () => undefined)).rejects.toThrow(
            /k8s-ci-envs:gcpProject/,
        );
        expect(ups).toEqual([]);
    });
});
