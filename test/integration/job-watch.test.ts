/**
 * The CI Job's watch against an API server that serves a Job and its cluster's leader lease
 * (test/support/fake-cluster.ts), through the pinned kubectl: it fails fast, with the reason,
 * when no controller-manager runs or the Job has no pod, and at once when the run is cancelled.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CANCEL_FILE_ENV } from "../../providers/jobs/cancellation";
import { WatchInputs, watchJob } from "../../providers/jobs/job-watch";
import { FakeCluster, startFakeCluster } from "../support/fake-cluster";

jest.setTimeout(2 * 60 * 1000);

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

    it("fails fast when the Job has no pod podTimeoutSeconds after the watch began, with its controller's report", async () => {
        const kubeconfig = await serve({
            [JOB]: () => job(),
            [LEASE]: () => undefined, // a controller-manager that elects no leader keeps none
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
