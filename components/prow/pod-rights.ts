import * as k8s from "@pulumi/kubernetes";

/**
 * What Prow's components do with their build-cluster kubeconfig in the jobs namespace (Prow's
 * `pod_namespace`), and nothing more: the union of the Roles Prow's own starter manifests give
 * them there (sigs.k8s.io/prow config/prow/cluster/starter). No secrets or configmaps: the job
 * pods' volumes are mounted by the kubelet, not read by whoever creates the pod.
 */
export const PROW_POD_RULES: k8s.types.input.rbac.v1.PolicyRule[] = [
    {
        // plank (prow-controller-manager) creates, watches and deletes job pods, and its
        // loader refuses a cluster without all six verbs (plank.RequiredTestPodVerbs); sinker
        // deletes finished pods and patches finalizers off them; crier reads a pod for its
        // report and patches its reporter's finalizer off.
        apiGroups: [""],
        resources: ["pods"],
        verbs: ["create", "delete", "get", "list", "patch", "watch"],
    },
    {
        // deck's job pages and spyglass show a running job's log.
        apiGroups: [""],
        resources: ["pods/log"],
        verbs: ["get"],
    },
    {
        // crier's Kubernetes reporter uploads a pod's events beside its podinfo.json.
        apiGroups: [""],
        resources: ["events"],
        verbs: ["get", "list"],
    },
];
