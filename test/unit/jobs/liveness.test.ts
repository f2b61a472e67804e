import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CANCEL_FILE_ENV, pause } from "../../../providers/jobs/cancellation";
import {
    controllerManagerDown,
    LEASE_MARGIN_SECONDS,
    madePods,
    noPodMessage,
} from "../../../providers/jobs/liveness";

const NOW = Date.parse("2025-06-01T12:00:00Z");
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
const lease = (renewedSecondsAgo: number, leaseDurationSeconds = 15) => ({
    spec: {
        holderIdentity: "kind-control-plane_1234",
        leaseDurationSeconds,
        renewTime: ago(renewedSecondsAgo),
    },
});

describe("whether a kube-controller-manager runs, from its leader lease", () => {
    it("runs while the lease was renewed within its duration and the margin", () => {
        expect(controllerManagerDown(lease(2), NOW)).toBeUndefined();
        expect(controllerManagerDown(lease(15 + LEASE_MARGIN_SECONDS), NOW)).toBeUndefined();
    });

    it("is gone once the lease is older than its duration and the margin, saying when it was renewed", () => {
        expect(controllerManagerDown(lease(15 + LEASE_MARGIN_SECONDS + 1), NOW)).toBe(
            "no kube-controller-manager is running on the Job's cluster: its leader lease " +
                `kube-system/kube-controller-manager was last renewed at ${ago(46)} by ` +
                "kind-control-plane_1234, 46 s ago (it lasts 15 s)",
        );
        // A lease released on a clean exit lasts 1 s.
        expect(controllerManagerDown(lease(40, 1), NOW)).toMatch(/last renewed at .* 40 s ago/);
    });

    it("is gone when the lease was never renewed", () => {
        expect(controllerManagerDown({ spec: {} }, NOW)).toMatch(/has never been renewed/);
    });

    it("is gone when the cluster has no leader lease", () => {
        expect(controllerManagerDown("absent", NOW)).toBe(
            "no kube-controller-manager is running on the Job's cluster: it has no leader lease " +
                "kube-system/kube-controller-manager",
        );
    });
});

describe("a Job without pods", () => {
    const job = (status = {}, spec = {}) => ({
        metadata: { name: "ci", namespace: "default" },
        status,
        spec,
    });

    it("made pods once its status counts one, or when suspended (it makes none)", () => {
        expect(madePods(job())).toBe(false);
        expect(madePods(job({ active: 0, failed: 0 }))).toBe(false);
        expect(madePods(job({ active: 1 }))).toBe(true);
        expect(madePods(job({ failed: 2 }))).toBe(true); // waiting out its backoff
        expect(madePods(job({}, { suspend: true }))).toBe(true);
    });

    it("says what its controller reports, else that none made a pod", () => {
        const quota = {
            type: "Warning",
            reason: "FailedCreate",
            message: 'pods "ci-x" is forbidden: exceeded quota: pods',
        };
        expect(noPodMessage(job(), 60, [quota, quota, { type: "Normal", reason: "X" }])).toBe(
            "Job default/ci has no pod 60 s after its watch began: its controller reports " +
                'FailedCreate: pods "ci-x" is forbidden: exceeded quota: pods',
        );
        expect(noPodMessage(job(), 60, [])).toBe(
            "Job default/ci has no pod 60 s after its watch began: no controller made one or said " +
                "why: is a kube-controller-manager running on the Job's cluster?",
        );
    });
});

describe("a Job's pods refused for want of the default service account", () => {
    it("names the controller that makes it", () => {
        const job = { metadata: { name: "ci", namespace: "fresh" } };
        const refused = {
            type: "Warning",
            reason: "FailedCreate",
            message:
                'pods "ci-x" is forbidden: error looking up service account fresh/default: serviceaccount "default" not found',
        };
        expect(noPodMessage(job, 60, [refused])).toBe(
            "Job fresh/ci has no pod 60 s after its watch began: its controller reports " +
                `FailedCreate: ${refused.message} (the namespace has no default service account: ` +
                "kube-controller-manager's serviceaccount controller, which makes every namespace's " +
                "default service account, has not made it)",
        );
    });
});

describe("a provider's wait", () => {
    const saved = process.env[CANCEL_FILE_ENV];
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cancel-"));
        process.env[CANCEL_FILE_ENV] = path.join(dir, "cancelled");
    });
    afterEach(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        if (saved === undefined) {
            delete process.env[CANCEL_FILE_ENV];
        } else {
            process.env[CANCEL_FILE_ENV] = saved;
        }
    });

    it("sleeps its time while no marker is written", async () => {
        const start = Date.now();
        await pause(300, "the wait", 50);
        expect(Date.now() - start).toBeGreaterThanOrEqual(295);
    });

    it("stops as soon as the run writes its marker, saying which signal", async () => {
        const start = Date.now();
        const waiting = pause(60_000, "the watch of Job default/ci", 50);
        fs.writeFileSync(process.env[CANCEL_FILE_ENV]!, "SIGTERM\n");
        await expect(waiting).rejects.toThrow("the watch of Job default/ci: cancelled by SIGTERM");
        expect(Date.now() - start).toBeLessThan(5_000);
    });
});
