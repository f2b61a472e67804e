import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { recorded, settle, setupMocks } from "../../support/mocks";
import type * as K8sModule from "@pulumi/kubernetes";
import type * as ProwModule from "../../../components/prow";
import type * as ConfigModule from "../../../stacks/config";

const ROOT = path.resolve(__dirname, "../../..");
/** An entry of 47 characters: its job, kubevirtci-external-<entry>, would have 67. */
const LONG_ENTRY = "kubeconfig-s390x-secure-execution-workloads-001";

let k8s: typeof K8sModule;
let prow: typeof ProwModule;
let config: typeof ConfigModule;

beforeAll(async () => {
    await setupMocks();
    k8s = await import("@pulumi/kubernetes");
    prow = await import("../../../components/prow");
    config = await import("../../../stacks/config");
});

beforeEach(async () => setupMocks());
afterEach(() => settle());

const read = (values: Record<string, string>) =>
    config.readSettings(
        { get: (key) => values[key], getSecret: () => undefined },
        "prow-jobs-test",
        ROOT,
    );

describe("the configuration of KubeVirtCI's jobs, at preview", () => {
    it("refuses an external cluster entry whose job name would exceed Prow's 63 characters, naming the key", () => {
        expect(LONG_ENTRY.length).toBe(47);
        expect(() =>
            read({ kubevirtciClusters: JSON.stringify(["prow-workloads", LONG_ENTRY]) }),
        ).toThrow(
            `k8s-ci-envs:kubevirtciClusters[1] (cluster ${LONG_ENTRY}): its job kubevirtci-external-${LONG_ENTRY} is not a valid Prow job name: it has 67 characters; Prow's job names have at most 63 (Prow labels the job's pods with it)`,
        );
    });

    it("refuses a checked job whose name Prow would refuse, naming the key", () => {
        const name = `periodic-kubevirt-${LONG_ENTRY}-e2e`;
        expect(() =>
            read({ kubevirtciJobs: JSON.stringify([`${name}=prow-workloads@prow-workloads`]) }),
        ).toThrow(
            `k8s-ci-envs:kubevirtciJobs[0] (job ${name}): not a valid Prow job name: it has 69 characters`,
        );
    });

    it("refuses job options that break their rules, naming each key", () => {
        expect(() =>
            read({
                kubevirtciJobType: "postsubmit",
                kubevirtciJobRepo: "kubevirt",
                kubevirtciJobCommand: "",
            }),
        ).toThrow(
            [
                'k8s-ci-envs:kubevirtciJobType must be one of periodic, presubmit; got "postsubmit"',
                'k8s-ci-envs:kubevirtciJobRepo must be a repository as ORG/REPO; got "kubevirt"',
                'k8s-ci-envs:kubevirtciJobCommand must be a command line; got ""',
            ].join("\n"),
        );
    });

    it("reads the job options, KubeVirt's periodic (kubevirt-periodics.yaml) by default", () => {
        const settings = read({});
        expect(settings.composition === "local" && settings.prow.job).toEqual(prow.DEFAULT_JOB);
        const presubmit = read({
            kubevirtciJobType: "presubmit",
            kubevirtciJobCommand: "make functest",
        });
        expect(presubmit.composition === "local" && presubmit.prow.job).toEqual({
            ...prow.DEFAULT_JOB,
            type: "presubmit",
            command: "make functest",
        });
    });
});

describe("KubevirtciExternalProvider's job fragments", () => {
    const provider = (
        entries: string[],
        options: Partial<ProwModule.KubevirtciJobOptions> = {},
    ) => {
        const clusterProvider = new k8s.Provider("build-cluster-prow-workloads", {});
        const namespace = new k8s.core.v1.Namespace(
            "prow-workloads-jobs-namespace",
            { metadata: { name: "kubevirt-prow-jobs" } },
            { provider: clusterProvider },
        );
        return new prow.KubevirtciExternalProvider("ext", {
            clusters: entries.map((name) => ({ name, kubeconfig: pulumi.secret("k") })),
            secretName: "kubevirtci-external-kubeconfigs",
            jobCluster: "prow-workloads",
            buildClusters: { "prow-workloads": { provider: clusterProvider, namespace } },
            jobs: [],
            job: { ...prow.DEFAULT_JOB, ...options },
            podNamespace: "kubevirt-prow-jobs",
        });
    };

    it("gives each entry a complete job config file, a presubmit when asked", () => {
        const { jobFragments } = provider(["kubeconfigARM"], { type: "presubmit" });
        const fragment = yaml.load(jobFragments.kubeconfigARM) as {
            presubmits: Record<string, Record<string, unknown>[]>;
        };
        const [job] = fragment.presubmits["kubevirt/kubevirt"];
        expect(job).toMatchObject({
            name: "kubevirtci-external-kubeconfigARM",
            cluster: "prow-workloads",
            namespace: "kubevirt-prow-jobs",
            decorate: true,
            rerun_command: "/test kubevirtci-external-kubeconfigARM",
        });
    });

    it("refuses an entry whose job name would exceed 63 characters, creating nothing", async () => {
        expect(() => provider(["kubeconfigARM", LONG_ENTRY])).toThrow(
            `ext: externalClusters[1] (cluster ${LONG_ENTRY}): its job kubevirtci-external-${LONG_ENTRY} is not a valid Prow job name: it has 67 characters`,
        );
        await settle();
        expect(recorded.filter((r) => r.type === "kubernetes:core/v1:Secret")).toEqual([]);
    });
});
