import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type {
    ConfigValue,
    DestroyOptions,
    EngineEvent,
    PolicyEvent,
    PreviewOptions,
    UpOptions,
} from "@pulumi/pulumi/automation";
import { objectPrefix } from "../../components/devstack/names";
import { settle, setupMocks } from "../support/mocks";
import { RunRecorder } from "../../run/recorder";
import type * as RunConfig from "../../run/run-config";
import type * as StackName from "../../run/stack-name";
import type * as ProwEnvironment from "../../run/prow-environment";
import type * as Steps from "../../run/steps";
import type * as ZoneFallback from "../../run/zone-fallback";
import { parseJunit } from "../support/junit-parse";
import { POLICY_PACK } from "../../run/policy";

let ciRun: typeof RunConfig &
    typeof StackName &
    typeof ProwEnvironment &
    typeof Steps &
    typeof ZoneFallback;

beforeAll(async () => {
    await setupMocks();
    ciRun = {
        ...(await import("../../run/run-config")),
        ...(await import("../../run/stack-name")),
        ...(await import("../../run/prow-environment")),
        ...(await import("../../run/steps")),
        ...(await import("../../run/zone-fallback")),
    };
});

afterAll(() => settle());

const STOCKOUT =
    "1 error occurred: googleapi: Error 503: The zone 'projects/p/zones/us-east4-a' does not have enough resources available to fulfill the request., ZONE_RESOURCE_POOL_EXHAUSTED";
const instanceUrn = (name: string) =>
    `urn:pulumi:ci-pull-capo-e2e-77::k8s-ci-envs::k8sci:devstack:DevStack$gcp:compute/instance:Instance::${name}`;

/**
 * A run's stack whose `up` creates the controller, then the worker, as the engine would: a
 * machine in one of its `full` zones fails with a stockout the engine reports for its URN. Its
 * preview plans the controller; its destroy fails with `destroyError` when given.
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
    destroyError?: string,
    violation?: PolicyEvent,
) {
    const ups: { controller: string; worker: string }[] = [];
    /** The policy packs each preview and up ran with. */
    const packs: (string[] | undefined)[] = [];
    const stack = {
        name: "ci-pull-capo-e2e-77",
        getAllConfig: async () => config,
        setConfig: async (key: string, value: ConfigValue) => {
            config[key] = value;
        },
        // As the CLI stores `config set-all --json`: an object value as its JSON text.
        setAllConfigJson: async (json: string) => {
            const values = JSON.parse(json) as Record<
                string,
                ConfigValue & { objectValue?: unknown }
            >;
            for (const [key, { value, secret, objectValue }] of Object.entries(values)) {
                config[key] = {
                    value: objectValue === undefined ? value : JSON.stringify(objectValue),
                    secret,
                };
            }
        },
        preview: async (opts?: PreviewOptions) => {
            packs.push(opts?.policyPacks);
            opts?.onOutput?.(PREVIEW_TEXT);
            if (violation !== undefined) {
                // As the engine fails a preview a mandatory policy fails: an event, then the error.
                opts?.onEvent?.({ sequence: 1, timestamp: 0, policyEvent: violation });
                throw new Error("preview failed");
            }
            opts?.onEvent?.({
                sequence: 1,
                timestamp: 0,
                resourcePreEvent: {
                    metadata: {
                        op: "create",
                        urn: instanceUrn("capo-e2e-controller"),
                        type: "gcp:compute/instance:Instance",
                        provider: "",
                        new: { outputs: { password: "s3cret-value" } } as never,
                    },
                },
            });
            return { stdout: PREVIEW_TEXT, stderr: "", changeSummary: { create: 1 } };
        },
        destroy: async (opts?: DestroyOptions) => {
            opts?.onOutput?.("Destroying (ci-pull-capo-e2e-77):\n");
            if (destroyError !== undefined) {
                throw new Error(destroyError);
            }
            return {} as never;
        },
        up: async (opts?: UpOptions) => {
            packs.push(opts?.policyPacks);
            const zones = {
                controller: config["k8s-ci-envs:gcpZone"]?.value ?? "",
                worker: config["k8s-ci-envs:gcpWorkerZone"]?.value ?? "",
            };
            ups.push(zones);
            opts?.onOutput?.(`Updating with the controller in ${zones.controller}\n`);
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
    return { stack, ups, packs };
}

const PREVIEW_TEXT = "  + gcp:compute/instance:Instance: (create)\n      password: [secret]\n";

const DEVSTACK_RUN = {
    "k8s-ci-envs:composition": { value: "ci" },
    "k8s-ci-envs:ciEnvironments": { value: '["devstack"]' },
    "k8s-ci-envs:gcpProject": { value: "boskos-3" },
    "k8s-ci-envs:gcpProjectLeased": { value: "true" },
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

    it.each([1, 99, 100, 300])(
        "keeps BUILD_ID whole and job names apart with a %i-character job name",
        (length) => {
            const job = (tail: string) => `${"j".repeat(length - 1)}${tail}`;
            const builds = ["1855512345678901234", "1855512345678901235"];
            const names = ["a", "b"].flatMap((tail) =>
                builds.map((build) => ciRun.runStackName({ JOB_NAME: job(tail), BUILD_ID: build })),
            );
            expect(new Set(names).size).toBe(4);
            for (const [i, name] of names.entries()) {
                expect(name.length).toBeLessThanOrEqual(ciRun.STACK_NAME_MAX);
                expect(name).toMatch(/^ci-j*[ab]?(-[0-9a-f]{8})?-\d+$/);
                expect(name.endsWith(`-${builds[i % 2]}`)).toBe(true);
            }
            if (length === 1) {
                expect(names[0]).toBe(`ci-a-${builds[0]}`);
            }
        },
    );

    it("starts from Pulumi.ci.yaml and adds the environments, the run's identity and Boskos's project", () => {
        const config = withCiStackFile(
            "config:\n  k8s-ci-envs:composition: ci\n  k8s-ci-envs:gcpZones: [us-east4-b]\n  k8s-ci-envs:vspherePassword:\n    secure: v1:abc\n",
            (file) =>
                ciRun.runConfig(file, {
                    JOB_NAME: "j",
                    BUILD_ID: "7",
                    PROW_JOB_ID: "p",
                    PULL_NUMBER: "2311",
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
            "k8s-ci-envs:pullNumber": { value: "2311" },
            "k8s-ci-envs:gcpProject": { value: "boskos-3" },
            "k8s-ci-envs:gcpProjectLeased": { value: "true" },
        });
    });

    it("hands array keys to the engine as arrays, everything else as text", () => {
        const json = ciRun.configJson({
            "k8s-ci-envs:ciEnvironments": { value: '["vmc"]' },
            "k8s-ci-envs:gcpZone": { value: "us-east4-a" },
            "k8s-ci-envs:vspherePassword": { value: "[pw", secret: true },
        });
        expect(JSON.parse(json)).toEqual({
            "k8s-ci-envs:ciEnvironments": { value: '["vmc"]', objectValue: ["vmc"], secret: false },
            "k8s-ci-envs:gcpZone": { value: "us-east4-a", secret: false },
            "k8s-ci-envs:vspherePassword": { value: "[pw", secret: true },
        });
    });

    it("takes VMC's password from the job's VSPHERE_PASSWORD, as a secret, never the ci stack's", () => {
        const config = withCiStackFile(
            "config:\n  k8s-ci-envs:vspherePassword:\n    secure: v1:abc\n",
            (file) =>
                ciRun.runConfig(file, { JOB_NAME: "j", BUILD_ID: "7", VSPHERE_PASSWORD: "pw" }, [
                    "vmc",
                ]),
        );
        expect(config["k8s-ci-envs:vspherePassword"]).toEqual({ value: "pw", secret: true });
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
        expect(lines.filter((l) => l.startsWith("zone "))).toEqual([
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

    it("takes a project from Boskos as the run's own, and one from Pulumi.ci.yaml as shared", () => {
        const leased = (env: { GCP_PROJECT?: string }) =>
            withCiStackFile("config:\n  k8s-ci-envs:gcpProject: capo-shared\n", (file) =>
                ciRun.runConfig(file, { JOB_NAME: "j", BUILD_ID: "7", ...env }, ["devstack"]),
            )["k8s-ci-envs:gcpProjectLeased"];
        expect(leased({ GCP_PROJECT: "boskos-3" })).toEqual({ value: "true" });
        expect(leased({})).toBeUndefined();
    });

    it("finds the machine GCE could not place by its run's own name in a shared project", async () => {
        const prefix = objectPrefix({
            name: "capo-e2e",
            projectLeased: false,
            run: { stack: "ci-pull-capo-e2e-77" },
        });
        expect(prefix).toMatch(/^capo-e2e-[0-9a-f]{8}$/);
        const { stack, ups } = fakeStack(
            { ...DEVSTACK_RUN, "k8s-ci-envs:gcpProjectLeased": { value: "false" } },
            { worker: ["us-east4-a"] },
            (role) => ({
                urn: instanceUrn(`${prefix}-${role}`),
                message: STOCKOUT,
                color: "never",
                severity: "error",
            }),
        );
        expect(await ciRun.upWithFallback(stack, () => undefined)).toEqual({
            controller: "us-east4-a",
            worker: "us-east4-b",
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

describe("the CI run's artifacts", () => {
    let artifacts: string;
    let stdout: string[];
    let recorder: RunRecorder;
    const read = (file: string) => fs.readFileSync(path.join(artifacts, file), "utf8");

    beforeEach(() => {
        // A folder that does not exist yet: the run creates it.
        artifacts = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ci-run-")), "artifacts");
        stdout = [];
        recorder = new RunRecorder(artifacts, (text) => stdout.push(text));
    });
    afterEach(() => fs.rmSync(path.dirname(artifacts), { recursive: true, force: true }));

    it("writes the preview, the up log and a testcase per step, each zone tried among them", async () => {
        const { stack } = fakeStack({}, { worker: ["us-east4-a"] });
        const config = withCiStackFile("config: {}\n", (file) =>
            ciRun.runConfig(
                file,
                { JOB_NAME: "pull-capo-e2e", BUILD_ID: "77", GCP_PROJECT: "boskos-3" },
                ["devstack"],
            ),
        );
        expect(await ciRun.runUp(stack, config, recorder)).toEqual({
            controller: "us-east4-a",
            worker: "us-east4-b",
        });

        expect(fs.readdirSync(artifacts).sort()).toEqual([
            "junit_pulumi.xml",
            "pulumi-preview.json",
            "pulumi-preview.md",
            "pulumi-up.log",
        ]);
        expect(read("pulumi-preview.md")).toContain(
            "| create | `gcp:compute/instance:Instance` | `capo-e2e-controller` |",
        );
        expect(read("pulumi-preview.md")).toContain(PREVIEW_TEXT);
        expect(JSON.parse(read("pulumi-preview.json")).summary).toEqual({ create: 1 });
        for (const file of fs.readdirSync(artifacts)) {
            expect([file, read(file)]).not.toEqual([file, expect.stringContaining("s3cret")]);
        }
        const upLog = [
            "Updating with the controller in us-east4-a\n",
            "zone us-east4-a has no capacity for the DevStack's worker: trying us-east4-b\n",
            "Updating with the controller in us-east4-a\n",
        ].join("");
        expect(read("pulumi-up.log")).toBe(upLog);
        expect(stdout.join("")).toBe(PREVIEW_TEXT + upLog);

        const [suite] = parseJunit(path.join(artifacts, "junit_pulumi.xml"));
        expect(suite).toMatchObject({ tests: "3", failures: "0", skipped: "1" });
        expect(suite.cases).toMatchObject([
            { name: "pulumi preview" },
            {
                name: "pulumi up (controller us-east4-a, worker us-east4-a)",
                skipped: {
                    message:
                        "zone us-east4-a has no capacity for the DevStack's worker: trying us-east4-b",
                },
            },
            { name: "pulumi up (controller us-east4-a, worker us-east4-b)" },
        ]);
        expect(suite.cases[1].skipped?.text).toContain("update failed");
        expect(suite.cases[2]).not.toHaveProperty("failure");
    });

    it("previews and updates with the policy pack; a violation fails the run before any up, in the report", async () => {
        const { stack, packs } = fakeStack({}, {});
        await ciRun.runUp(stack, {}, recorder);
        expect(packs).toEqual([[POLICY_PACK], [POLICY_PACK]]);

        const violation: PolicyEvent = {
            resourceUrn: instanceUrn("capo-e2e-controller"),
            message:
                "No ingress from 0.0.0.0/0 beyond the documented ports.\nopens tcp 3306 to the world",
            color: "never",
            policyName: "ingress-documented-ports",
            policyPackName: "k8s-ci-envs",
            policyPackVersion: "0.1.0",
            policyPackVersionTag: "0.1.0",
            enforcementLevel: "mandatory",
        };
        const failing = fakeStack({}, {}, undefined, undefined, violation);
        await expect(ciRun.runUp(failing.stack, {}, recorder)).rejects.toThrow(/preview failed/);
        expect(failing.packs).toEqual([[POLICY_PACK]]); // no up
        expect(failing.ups).toEqual([]);
        expect(read("pulumi-preview.md")).toContain(
            "| `ingress-documented-ports` | mandatory | `capo-e2e-controller` | No ingress from 0.0.0.0/0 beyond the documented ports. opens tcp 3306 to the world |",
        );
        expect(read("pulumi-preview.md")).toContain(PREVIEW_TEXT);
        expect(JSON.parse(read("pulumi-preview.json")).findings).toMatchObject([
            {
                policy: "ingress-documented-ports",
                level: "mandatory",
                resource: "capo-e2e-controller",
            },
        ]);
        const [suite] = parseJunit(path.join(artifacts, "junit_pulumi.xml"));
        // After the first run's preview and up: the failed preview, and no up.
        expect(suite.cases.slice(2)).toMatchObject([
            { name: "pulumi preview", failure: { message: "preview failed" } },
        ]);
    });

    it("writes a failing testcase for an up that fails, and fails the run", async () => {
        const { stack } = fakeStack(
            { ...DEVSTACK_RUN, "k8s-ci-envs:gcpZones": { value: '["us-east4-b"]' } },
            { controller: ["us-east4-b"] },
        );
        await expect(ciRun.runUp(stack, {}, recorder)).rejects.toThrow(/update failed/);
        const [suite] = parseJunit(path.join(artifacts, "junit_pulumi.xml"));
        expect(suite).toMatchObject({ tests: "2", failures: "1" });
        expect(suite.cases[1]).toMatchObject({
            name: "pulumi up (controller us-east4-b, worker us-east4-b)",
            failure: { message: "update failed", text: "update failed" },
        });
    });

    it("destroys into its own log and JUnit file, removing the stack only once destroyed", async () => {
        const removed: string[] = [];
        await ciRun.runDown(fakeStack({}, {}).stack, recorder, () => removed.push("stack"));
        expect(removed).toEqual(["stack"]);
        expect(read("pulumi-destroy.log")).toBe("Destroying (ci-pull-capo-e2e-77):\n");
        expect(parseJunit(path.join(artifacts, "junit_pulumi_destroy.xml"))[0].cases).toEqual([
            { name: "pulumi destroy", classname: "k8s-ci-envs ci-pull-capo-e2e-77" },
        ]);

        const failing = fakeStack(
            {},
            {},
            undefined,
            "resource <gcp:compute/network> & co still in use",
        ).stack;
        await expect(
            ciRun.runDown(failing, new RunRecorder(artifacts, () => undefined), () =>
                removed.push("again"),
            ),
        ).rejects.toThrow(/still in use/);
        expect(removed).toEqual(["stack"]);
        expect(parseJunit(path.join(artifacts, "junit_pulumi_destroy.xml"))[0].cases).toMatchObject(
            [
                {
                    name: "pulumi destroy",
                    failure: { message: "resource <gcp:compute/network> & co still in use" },
                },
            ],
        );
    });

    it("only streams the output of a run outside Prow (no $ARTIFACTS)", async () => {
        const { stack } = fakeStack({ ...DEVSTACK_RUN }, {});
        await ciRun.runUp(stack, {}, new RunRecorder(undefined, (text) => stdout.push(text)));
        expect(stdout.join("")).toContain("Updating with the controller in us-east4-a");
        expect(fs.existsSync(artifacts)).toBe(false);
    });
});
