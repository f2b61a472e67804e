import * as pulumi from "@pulumi/pulumi";

/**
 * What deleting the Prow registration (`down`, or dropping it from the program) does to what
 * Prow depends on. `retain`, the ci stack's: Prow's real clusters outlive the stack, and the
 * objects on them may predate it (server-side apply adopts an existing one), so they stay;
 * `delete`, the local stack's: its stand-in clusters are its own, and everything goes.
 */
export type SharedObjects = "retain" | "delete";

/**
 * Options of an object Prow or its running jobs use on a build cluster (the jobs namespace
 * with its pods, Prow's service account and rights, the external kubeconfigs secret): with
 * `retain`, deleting it from the stack leaves it on the cluster (`kubectl delete` removes it).
 */
export function outlivesStack(mode: SharedObjects): pulumi.CustomResourceOptions {
    return mode === "retain" ? { retainOnDelete: true } : {};
}

/**
 * Options of Prow's kubeconfig secret, which every Prow component mounts: with `retain`, the
 * engine refuses to delete it until `pulumi state unprotect` is run on it.
 */
export function guardedForProw(mode: SharedObjects): pulumi.CustomResourceOptions {
    return mode === "retain" ? { protect: true } : {};
}
