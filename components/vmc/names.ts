/**
 * The names and keys of CAPV's old Prow CI (scripts/e2e at release-0.5), which the components
 * keep exactly: other tools find the objects by them.
 */

/** The outer secret, on the Prow side (hack/secret.template). */
export const OUTER_SECRET = "clusterapi-provider-vsphere-ci-prow";

/** Its nine keys, in the template's order. */
export const OUTER_SECRET_KEYS = [
    "jumphost",
    "jumphost-key",
    "bootstrapper-key",
    "target-vm-ssh",
    "target-vm-ssh-pub",
    "vsphere-username",
    "vsphere-password",
    "vsphere-server",
    "cluster-api-vsphere-gcr-service-account",
] as const;
export type OuterSecretKey = (typeof OUTER_SECRET_KEYS)[number];
export type OuterSecretValues = Record<OuterSecretKey, string>;

/** The inner secret, on the bootstrap cluster (bootstrap_secret.template). */
export const INNER_SECRET = "clusterapi-provider-vsphere-ci-secret";
export const INNER_SECRET_KEYS = [
    "provider-component-spec",
    "target-vm-ssh",
    "target-vm-ssh-pub",
    "bootstrap-kubeconfig",
] as const;
export type InnerSecretKey = (typeof INNER_SECRET_KEYS)[number];

/** The CI Job on the bootstrap cluster (bootstrap_job.template). */
export const CI_JOB = "cluster-api-provider-vsphere-ci";

/** The context of CAPV's scripts/e2es: `prow` in a Prow job (PROW_JOB_ID set), `debug` elsewhere. */
export type BootstrapContext = "prow" | "debug";

/** The bootstrap VM's name, as e2e.sh finds it (`govc find / -type m -name ...`). */
export function bootstrapVmName(context: BootstrapContext): string {
    return `clusterapi-bootstrap-${context}`;
}

/** The jump host's name, beside the bootstrap VM's. */
export function jumpHostVmName(context: BootstrapContext): string {
    return `clusterapi-jumphost-${context}`;
}

/** Whom CI logs in to both VMs as (CAPV's machine user), with passwordless sudo. */
export const SSH_USER = "capv";

/** The CI image and command of CAPV's inner Job (scripts/e2e/hack/job.yml). */
export const DEFAULT_CI_IMAGE = "gcr.io/cluster-api-provider-vsphere/pr/ci:debug";
export const DEFAULT_CI_COMMAND = ["./clusterctl.sh"];
/** wait_for_job.sh's TOTAL: how long the Job may run. */
export const DEFAULT_CI_TIMEOUT_SECONDS = 600;

/** The kind cluster on the bootstrap VM, and its API server's port on the VM's address. */
export const KIND_CLUSTER = "bootstrap";
export const KIND_API_PORT = 6443;
export const KIND_VERSION = "v0.23.0";
