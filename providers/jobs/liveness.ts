/**
 * Whether a Job can still end: a Job whose cluster runs no kube-controller-manager, or that has
 * no pod long after its creation, never will, so its watch fails at once with the reason.
 */
import { JobObject } from "./outcome";

/** A coordination.k8s.io/v1 Lease, as far as the checks read it. */
export interface LeaseObject {
    spec?: {
        holderIdentity?: string;
        leaseDurationSeconds?: number;
        acquireTime?: string;
        renewTime?: string;
    };
}

/** An event of the Job (core/v1 Event), as far as the checks read it. */
export interface EventObject {
    type?: string;
    reason?: string;
    message?: string;
}

/** kube-controller-manager's leader election Lease (its --leader-elect-resource-name). */
export const CONTROLLER_MANAGER_LEASE = {
    namespace: "kube-system",
    name: "kube-controller-manager",
};

/** kube-controller-manager's --leader-elect-lease-duration default. */
const DEFAULT_LEASE_SECONDS = 15;

/**
 * How late beyond its lease duration a leader's renewal may be before no controller-manager
 * counts as running: a loaded machine renews late, and the cluster's clock may differ from ours.
 */
export const LEASE_MARGIN_SECONDS = 30;

/**
 * Why no kube-controller-manager runs on the Job's cluster, from its leader Lease at `now` (ms),
 * `absent` when the cluster has none; undefined when one runs. A controller-manager that runs
 * holds the Lease (kind's and kubeadm's do, and the local clusters', providers/kwok).
 */
export function controllerManagerDown(
    lease: LeaseObject | "absent",
    now: number,
    marginSeconds = LEASE_MARGIN_SECONDS,
    where = "the Job's cluster",
): string | undefined {
    const prefix = `no kube-controller-manager is running on ${where}`;
    if (lease === "absent") {
        return `${prefix}: it has no leader lease ${leaseName()}`;
    }
    const renewed = lease.spec?.renewTime ?? lease.spec?.acquireTime;
    const at = renewed === undefined ? NaN : Date.parse(renewed);
    if (Number.isNaN(at)) {
        return `${prefix}: its leader lease ${leaseName()} has never been renewed`;
    }
    const duration = lease.spec?.leaseDurationSeconds ?? DEFAULT_LEASE_SECONDS;
    const age = (now - at) / 1000;
    if (age <= duration + marginSeconds) {
        return undefined;
    }
    const holder = lease.spec?.holderIdentity ? ` by ${lease.spec.holderIdentity}` : "";
    return (
        `${prefix}: its leader lease ${leaseName()} was last renewed at ${renewed}${holder}, ` +
        `${Math.round(age)} s ago (it lasts ${duration} s)`
    );
}

function leaseName(): string {
    return `${CONTROLLER_MANAGER_LEASE.namespace}/${CONTROLLER_MANAGER_LEASE.name}`;
}

/** Whether the Job has, or had, a pod, by its status's counts; a suspended Job makes none. */
export function madePods(job: JobObject): boolean {
    if (job.spec?.suspend === true) {
        return true;
    }
    const s = job.status ?? {};
    return [s.active, s.ready, s.succeeded, s.failed, s.terminating].some((n) => (n ?? 0) > 0);
}

/**
 * What a pod that could not be created for want of its namespace's `default` service account
 * lacks: the controller that makes that account (the ServiceAccount admission plugin refuses
 * such pods).
 */
export const DEFAULT_SERVICE_ACCOUNT_MAKER =
    "kube-controller-manager's serviceaccount controller, which makes every namespace's default service account";

/**
 * Why the Job has no pod `seconds` after its watch began: what its controller reports (a pod it
 * could not create, naming the missing controller when it was the default service account),
 * else that no controller made one.
 */
export function noPodMessage(job: JobObject, seconds: number, events: EventObject[]): string {
    const where = `Job ${job.metadata.namespace ?? "default"}/${job.metadata.name}`;
    const reports = events
        .filter((e) => e.type === "Warning")
        .map((e) => `${e.reason ?? "Warning"}: ${e.message ?? ""}`.trim());
    const noAccount = reports.some((r) => /serviceaccount "default" not found/.test(r))
        ? ` (the namespace has no default service account: ${DEFAULT_SERVICE_ACCOUNT_MAKER}, has not made it)`
        : "";
    const why =
        reports.length > 0
            ? `its controller reports ${[...new Set(reports)].join("; ")}${noAccount}`
            : "no controller made one or said why: is a kube-controller-manager running on the Job's cluster?";
    return `${where} has no pod ${seconds} s after its watch began: ${why}`;
}
