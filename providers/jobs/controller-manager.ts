import { getRaw, isNotFound, Kubectl, namespaced } from "./kubectl";
import { CONTROLLER_MANAGER_LEASE, controllerManagerDown, LeaseObject } from "./liveness";

/**
 * The controller-manager's leader Lease, `absent` when the API says there is none, undefined
 * when it cannot be read (a kubeconfig without the right says nothing of the cluster).
 */
async function getLease(kubectl: Kubectl): Promise<LeaseObject | "absent" | undefined> {
    const { namespace, name } = CONTROLLER_MANAGER_LEASE;
    const leases = namespaced("/apis/coordination.k8s.io/v1", namespace, "leases", name);
    return getRaw<LeaseObject>(kubectl, leases).catch((err: unknown) =>
        isNotFound(err) ? ("absent" as const) : undefined,
    );
}

/**
 * Why no kube-controller-manager runs on the cluster (`where` names it), from its leader
 * Lease at `now`; undefined when one runs, or when the Lease cannot be read.
 */
export async function controllerManagerProblem(
    kubectl: Kubectl,
    now = Date.now(),
    where?: string,
): Promise<string | undefined> {
    const lease = await getLease(kubectl);
    return lease === undefined ? undefined : controllerManagerDown(lease, now, undefined, where);
}
