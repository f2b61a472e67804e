/**
 * The CI Job's watch against an API server that serves a Job and its cluster's leader lease
 * (test/support/fake-cluster.ts), through the pinned kubectl: it fails fast, with the reason,
 * when no controller-manager runs or the Job has no pod, and at once when the run is cancelled.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { CANCEL_FILE_ENV } from "../../providers/jobs/cancellation";
import { WatchInputs, watchJob } from "../../providers/jobs/job-watch";
import {
    CLUSTER_LEASE_DIR,
    createCluster,
    removeCluster,
} from "../../providers/kwok/local-cluster";
import { readSupervisor, supervisorFiles } from "../../providers/supervise";
import { FakeCluster, startFakeCluster } from "../support/fake-cluster";
import { kubectl } from "../support/harness";

jest.setTimeout(5 * 60 * 1000);

const JOB = "/apis/batch/v1/namespaces/default/jobs/cluster-api-provider-vsphere-ci";
const LEASE = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager";
const PODS =
    "/api/v1/namespaces/default/pods?labelSelector=job-name%3Dcluster-api-provider-vsphere-ci";
const EVENTS = "/api/v1/namespaces/default/events?fieldSelector=involvedObject.uid%3Duid-1";

const job = (status: Record<string, unknown> = {}) => ({
    metadata: { name: "cluster-api-provider-vsphere-ci", namespace: "default", uid: "uid-1" },
    status,
});
const complete = () =>
    job({
        succeeded: 1,
        completionTime: "2025-06-01T12:00:00Z",
        conditions: [{ type: "Complete", status: "True" }],
    });
const leaseRenewed = (secondsAgo: number) => () => ({
    spec: {
        holderIdentity: "bootstrap-control-plane_5b1c",
        leaseDurationSeconds: 15,
        renewTime: new Date(Date.now() - secondsAgo * 1000).toISOString(),
    },
});

/** The requests each path got. */
let hits: Record<string, number>;
let cluster: FakeCluster | undefined;
const saved = { artifacts: process.env.ARTIFACTS, cancel: process.env[CANCEL_FILE_ENV] };

async function serve(routes: Record<string, () => unknown>): Promise<string> {
    hits = {};
    const counted = Object.fromEntries(
        Object.entries(routes).map(([p, body]) => [
            p,
            () => {
                hits[p] = (hits[p] ?? 0) + 1;
                return body();
            },
        ]),
    );
    cluster = await startFakeCluster([], 0, counted);
    return cluster.kubeconfig();
}

function inputs(kubeconfig: string, extra: Partial<WatchInputs> = {}): WatchInputs {
    return {
        kubeconfig,
        namespace: "default",
        job: "cluster-api-provider-vsphere-ci",
        uid: "uid-1",
        timeoutSeconds: 600,
        podTimeoutSeconds: 600,
        pollSeconds: 1,
        artifactsDir: "vmc/ci-job",
        redactions: [],
        ...extra,
    };
}

beforeEach(() => {
    delete process.env.ARTIFACTS;
    delete process.env[CANCEL_FILE_ENV];
});

afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
    for (const [name, value] of [
        ["ARTIFACTS", saved.artifacts],
        [CANCEL_FILE_ENV, saved.cancel],
    ] as const) {
        if (value === undefined) {
            delete process.env[name];
        } else {
            process.env[name] = value;
        }
    }
});

describe("the CI Job's watch", () => {
    it("follows a running Job to its end while the controller-manager renews its lease", async () => {
        let polls = 0;
        const kubeconfig = await serve({
            [JOB]: () => (++polls < 4 ? job({ active: 1 }) : complete()),
            [LEASE]: leaseRenewed(1),
        });
        const outs = await watchJob(inputs(kubeconfig));
        expect(outs.succeeded).toBe(1);
        expect(hits[LEASE]).toBeGreaterThanOrEqual(1); // the lease was read, and found fresh
    });

    it("fails fast, naming the controller-manager, when its leader lease is stale", async () => {
        const kubeconfig = await serve({ [JOB]: () => job(), [LEASE]: leaseRenewed(600) });
        const start = Date.now();
        await expect(watchJob(inputs(kubeconfig))).rejects.toThrow(
            /^Job default\/cluster-api-provider-vsphere-ci cannot end: no kube-controller-manager is running on the Job's cluster: its leader lease kube-system\/kube-controller-manager was last renewed at \S+ by bootstrap-control-plane_5b1c, 60\d s ago \(it lasts 15 s\)$/,
        );
        expect((Date.now() - start) / 1000).toBeLessThan(15); // not the 600 s timeout
    });

    it("fails fast when the cluster has no controller-manager's leader lease at all", async () => {
        const kubeconfig = await serve({ [JOB]: () => job(), [LEASE]: () => undefined });
        await expect(watchJob(inputs(kubeconfig))).rejects.toThrow(
            "Job default/cluster-api-provider-vsphere-ci cannot end: no kube-controller-manager is " +
                "running on the Job's cluster: it has no leader lease kube-system/kube-controller-manager",
        );
    });

    it("fails fast when the Job has no pod podTimeoutSeconds after the watch began, with its controller's report", async () => {
        const kubeconfig = await serve({
            [JOB]: () => job(),
            [LEASE]: leaseRenewed(1), // it runs, but cannot make the Job's pod
            [PODS]: () => ({ kind: "PodList", items: [] }),
            [EVENTS]: () => ({
                kind: "EventList",
                items: [
                    {
                        type: "Warning",
                        reason: "FailedCreate",
                        message: 'Error creating: pods "ci-x" is forbidden: exceeded quota: jobs',
                    },
                ],
            }),
        });
        const start = Date.now();
        await expect(watchJob(inputs(kubeconfig, { podTimeoutSeconds: 3 }))).rejects.toThrow(
            "Job default/cluster-api-provider-vsphere-ci has no pod 3 s after its watch began: its " +
                'controller reports FailedCreate: Error creating: pods "ci-x" is forbidden: exceeded quota: jobs',
        );
        const seconds = (Date.now() - start) / 1000;
        expect(seconds).toBeGreaterThanOrEqual(3);
        expect(seconds).toBeLessThan(15);
    });

    it("stops at once when the run writes its cancel marker", async () => {
        const kubeconfig = await serve({
            [JOB]: () => job({ active: 1 }),
            [LEASE]: leaseRenewed(1),
        });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cancel-"));
        process.env[CANCEL_FILE_ENV] = path.join(dir, "cancelled");
        try {
            const watching = watchJob(inputs(kubeconfig, { pollSeconds: 2 }));
            const failed = watching.then(
                () => new Error("it ended"),
                (err: Error) => err,
            );
            while ((hits[JOB] ?? 0) < 2) {
                await new Promise((r) => setTimeout(r, 50)); // until it polls
            }
            const cancelled = Date.now();
            fs.writeFileSync(process.env[CANCEL_FILE_ENV]!, "SIGTERM\n");
            expect((await failed).message).toBe(
                "the watch of Job default/cluster-api-provider-vsphere-ci: cancelled by SIGTERM",
            );
            expect((Date.now() - cancelled) / 1000).toBeLessThan(2);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("the CI Job's watch on a local cluster", () => {
    it("fails fast, naming the controller-manager, once its kube-controller-manager is killed", async () => {
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "job-watch-it-"));
        const cluster = await createCluster({
            stackDir: work,
            clusterName: "cm-killed",
            nodes: { controlPlane: 1, workers: 1 },
            leaseDir: CLUSTER_LEASE_DIR,
        });
        const supervisor = readSupervisor(supervisorFiles(cluster.dir))!;
        try {
            // Its supervisor, stopped, cannot start it again.
            process.kill(supervisor.pid, "SIGSTOP");
            const cm = supervisor.processes.find((p) => p.name === "kube-controller-manager")!;
            process.kill(cm.pid!, "SIGKILL");
            const kubeconfig = path.join(work, "kubeconfig");
            fs.writeFileSync(kubeconfig, cluster.kubeconfig, { mode: 0o600 });
            const jobSpec = {
                apiVersion: "batch/v1",
                kind: "Job",
                metadata: { name: "cluster-api-provider-vsphere-ci", namespace: "default" },
                spec: {
                    template: {
                        spec: {
                            restartPolicy: "Never",
                            containers: [{ name: "ci", image: "ci", command: ["true"] }],
                        },
                    },
                },
            };
            kubectl(kubeconfig, ["apply", "-f", "-"], yaml.dump(jobSpec));
            const uid = kubectl(kubeconfig, [
                "get",
                "job",
                "cluster-api-provider-vsphere-ci",
                "-o",
                "jsonpath={.metadata.uid}",
            ]);
            const start = Date.now();
            await expect(watchJob(inputs(cluster.kubeconfig, { uid }))).rejects.toThrow(
                /^Job default\/cluster-api-provider-vsphere-ci cannot end: no kube-controller-manager is running on the Job's cluster: its leader lease kube-system\/kube-controller-manager was last renewed at /,
            );
            const seconds = (Date.now() - start) / 1000;
            console.log(`the watch failed ${seconds} s after it began`);
            expect(seconds).toBeLessThan(120); // its lease (20 s) and the margin, not the 600 s
        } finally {
            process.kill(supervisor.pid, "SIGCONT");
            await removeCluster(cluster, cluster.ports);
            fs.rmSync(work, { recursive: true, force: true });
        }
    });
});
