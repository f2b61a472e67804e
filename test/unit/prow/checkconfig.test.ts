/**
 * Prow's own checkconfig, built from sigs.k8s.io/prow, on the job fragments this program outputs:
 * each is a complete job that `checkconfig --strict` accepts, and a broken one is refused.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { settle, setupMocks } from "../../support/mocks";
import { prowBuildClusters, prowCheckconfig, ProwConfigFiles } from "../../support/prow-tools";
import { closedPort, mergedKubeconfig } from "../../support/prow-fixtures";
import type * as K8sModule from "@pulumi/kubernetes";
import type * as ProwModule from "../../../components/prow";
import type * as ConfigModule from "../../../stacks/config";

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, "../../..");

let k8s: typeof K8sModule;
let prow: typeof ProwModule;
let config: typeof ConfigModule;
let dir: string;
let statusFile: string;

beforeAll(async () => {
    await setupMocks();
    k8s = await import("@pulumi/kubernetes");
    prow = await import("../../../components/prow");
    config = await import("../../../stacks/config");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "checkconfig-test-"));
    // Plank's build cluster status file, written by Prow's own loader from the stack's build
    // clusters: checkconfig refuses a job whose `cluster:` is not in it.
    statusFile = path.join(dir, "build-clusters.json");
    const aliases = settingsOf({}).buildClusters.map((c) => c.alias);
    const server = `https://127.0.0.1:${await closedPort()}`;
    const statuses = await prowBuildClusters(
        mergedKubeconfig(Object.fromEntries(aliases.map((a) => [a, { server }]))),
        "kubevirt-prow-jobs",
        { statusFile },
    );
    expect(statuses.map((s) => s.context).sort()).toEqual([...aliases, "default"].sort());
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => setupMocks());
afterEach(() => settle());

/** The stack's Prow settings, from configuration `values` (keys without the namespace). */
function settingsOf(values: Record<string, string>): ConfigModule.ProwConfig {
    const settings = config.readSettings(
        { get: (key) => values[key], getSecret: () => undefined },
        "checkconfig-test",
        ROOT,
    );
    return settings.composition === "local" ? settings.prow : settings.prow!;
}

/** The job fragments KubevirtciExternalProvider outputs for the settings, as the stack wires it. */
function fragmentsOf(p: ConfigModule.ProwConfig): Record<string, string> {
    const buildClusters = Object.fromEntries(
        p.buildClusters.map(({ alias }) => {
            const provider = new k8s.Provider(`build-cluster-${alias}`, {});
            const namespace = new k8s.core.v1.Namespace(
                `${alias}-jobs-namespace`,
                { metadata: { name: p.jobsNamespace } },
                { provider },
            );
            return [alias, { provider, namespace }];
        }),
    );
    return new prow.KubevirtciExternalProvider("kubevirtci-external", {
        clusters: p.externalClusters.map((name) => ({ name, kubeconfig: pulumi.secret("k") })),
        secretName: p.externalSecret,
        jobCluster: p.defaultCluster,
        buildClusters,
        jobs: p.jobs,
        image: p.image,
        job: p.job,
        podNamespace: p.jobsNamespace,
    }).jobFragments;
}

/** Prow's config.yaml, as KubeVirt's: decoration defaults, and the given pod_namespace. */
function prowConfig(podNamespace: string): string {
    const image = (name: string) => `us-docker.pkg.dev/k8s-infra-prow/images/${name}:v20240619`;
    return yaml.dump({
        prowjob_namespace: "kubevirt-prow",
        pod_namespace: podNamespace,
        plank: {
            build_cluster_status_file: statusFile,
            default_decoration_config_entries: [
                {
                    config: {
                        timeout: "2h",
                        grace_period: "15s",
                        utility_images: {
                            clonerefs: image("clonerefs"),
                            initupload: image("initupload"),
                            entrypoint: image("entrypoint"),
                            sidecar: image("sidecar"),
                        },
                        gcs_configuration: { bucket: "kubevirt-prow", path_strategy: "explicit" },
                        gcs_credentials_secret: "gcs",
                    },
                },
            ],
        },
    });
}

/** Prow's plugins.yaml, with the trigger plugin (which runs presubmits) on `repo`. */
const plugins = (repo: string) => yaml.dump({ plugins: { [repo]: { plugins: ["trigger"] } } });

/** The Prow files for `fragments`, in the pod_namespace the stack outputs (prowPodNamespace). */
function files(p: ConfigModule.ProwConfig, fragments: Record<string, string>): ProwConfigFiles {
    return {
        config: prowConfig(p.jobsNamespace),
        jobs: Object.fromEntries(Object.entries(fragments).map(([k, v]) => [`${k}.yaml`, v])),
        plugins: plugins(p.job.repo),
    };
}

/** A fragment's only job, to break it. */
type JobConfig = { periodics?: Record<string, unknown>[]; presubmits?: Record<string, any[]> };
function editJob(fragment: string, edit: (job: any) => void): string {
    const jobConfig = yaml.load(fragment) as JobConfig;
    edit(jobConfig.periodics?.[0] ?? Object.values(jobConfig.presubmits!)[0][0]);
    return yaml.dump(jobConfig);
}

describe("checkconfig --strict on the stack's job fragments", () => {
    it("accepts every external-provider periodic of the default stack", async () => {
        const p = settingsOf({});
        const fragments = fragmentsOf(p);
        expect(Object.keys(fragments).sort()).toEqual([...p.externalClusters].sort());
        const result = await prowCheckconfig(files(p, fragments));
        expect(result).toMatchObject({ ok: true });
        expect(result.output).toContain("checkconfig passes without any error");
    });

    it("accepts them as presubmits of another repository", async () => {
        const p = settingsOf({
            kubevirtciJobType: "presubmit",
            kubevirtciJobRepo: "kubevirt/kubevirtci",
        });
        const result = await prowCheckconfig(files(p, fragmentsOf(p)));
        expect(result).toMatchObject({ ok: true });
    });

    it("refuses a job without a command, which a decorated job needs", async () => {
        const p = settingsOf({});
        const fragments = fragmentsOf(p);
        const broken = editJob(fragments["prow-workloads"], (job) => {
            delete job.spec.containers[0].command;
            delete job.spec.containers[0].args;
        });
        const result = await prowCheckconfig(files(p, { ...fragments, "prow-workloads": broken }));
        expect(result.ok).toBe(false);
        expect(result.output).toContain(
            "decorated job containers must specify command and/or args",
        );
    });

    it("refuses a presubmit whose rerun command its trigger does not match", async () => {
        const p = settingsOf({ kubevirtciJobType: "presubmit" });
        const broken = editJob(fragmentsOf(p)["prow-workloads"], (job) => {
            job.rerun_command = "/test another-job";
        });
        const result = await prowCheckconfig(files(p, { "prow-workloads": broken }));
        expect(result.ok).toBe(false);
        expect(result.output).toContain(
            'rerun command \\"/test another-job\\" does not match trigger',
        );
    });

    it("refuses a job on a cluster Prow's loader did not find in the kubeconfig", async () => {
        const p = settingsOf({});
        const broken = editJob(fragmentsOf(p)["prow-workloads"], (job) => {
            job.cluster = "ibm-prow-jobs";
        });
        const result = await prowCheckconfig(files(p, { "prow-workloads": broken }));
        expect(result.ok).toBe(false);
        expect(result.output).toContain(`specifies unknown 'cluster' value \\"ibm-prow-jobs\\"`);
    });

    it("refuses the fragments when Prow's pod_namespace is not the jobs namespace", async () => {
        const p = settingsOf({});
        const result = await prowCheckconfig({
            ...files(p, fragmentsOf(p)),
            config: prowConfig("default"),
        });
        expect(result.ok).toBe(false);
        expect(result.output).toContain("namespace customization requires agent");
    });

    it("draws the job name line where Prow does: 63 characters pass, 64 do not", async () => {
        const p = settingsOf({});
        const context = {
            podNamespace: p.jobsNamespace,
            secretName: p.externalSecret,
            image: p.image,
            options: p.job,
        };
        const fragment = (entry: string) =>
            prow.externalJobFragment(
                { name: prow.externalJobName(entry), cluster: p.defaultCluster, secretKey: entry },
                context,
            );
        const longest = "e".repeat(prow.PROW_JOB_NAME_MAX - prow.externalJobName("").length);
        expect(prow.externalJobName(longest)).toHaveLength(63);
        // The configuration takes the longest entry and refuses one more character, at preview.
        expect(() => settingsOf({ kubevirtciClusters: JSON.stringify([longest]) })).not.toThrow();
        expect(() => settingsOf({ kubevirtciClusters: JSON.stringify([`${longest}e`]) })).toThrow(
            "k8s-ci-envs:kubevirtciClusters[0]",
        );
        // Prow agrees on both sides of the line.
        expect(await prowCheckconfig(files(p, { longest: fragment(longest) }))).toMatchObject({
            ok: true,
        });
        const tooLong = await prowCheckconfig(files(p, { "too-long": fragment(`${longest}e`) }));
        expect(tooLong.ok).toBe(false);
        expect(tooLong.output).toContain("too long (should be at most 63 characters)");
    });
});
