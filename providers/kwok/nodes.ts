import { checkDnsLabel, checkInteger, Issue } from "../validation";

/** The fake nodes of a local cluster: how many of each role, and labels for all of them. */
export interface NodePool {
    controlPlane: number;
    workers: number;
    /** Extra labels on every node. */
    labels?: Record<string, string>;
}

/** The annotation kwok's controller selects the nodes it plays by. */
export const FAKE_NODE_ANNOTATION = "kwok.x-k8s.io/node";
export const CONTROL_PLANE_ROLE = "node-role.kubernetes.io/control-plane";

export function validateNodePool(field: string, pool: NodePool): Issue[] {
    const issues = [
        ...checkInteger(`${field}.controlPlane`, pool.controlPlane, 1, 7),
        ...checkInteger(`${field}.workers`, pool.workers, 0, 20),
    ];
    for (const key of Object.keys(pool.labels ?? {})) {
        if (key.startsWith("node-role.kubernetes.io/")) {
            issues.push({ field: `${field}.labels`, message: `must not set roles (${key})` });
        }
    }
    return issues;
}

/** A cluster's name names its folder, context and nodes: a DNS label keeps all of them valid. */
export function checkClusterName(field: string, name: unknown): Issue[] {
    return checkDnsLabel(field, name);
}

/**
 * The Node objects of the pool, named `<cluster>-control-plane[-N]` and `<cluster>-worker[-N]`
 * as kind names them. Control-plane nodes carry kubeadm's NoSchedule taint only when there are
 * workers to run pods, as kind does.
 */
export function nodeManifests(cluster: string, pool: NodePool): object[] {
    const name = (role: string, i: number, count: number) =>
        count === 1 ? `${cluster}-${role}` : `${cluster}-${role}-${i + 1}`;
    const node = (nodeName: string, controlPlane: boolean) => ({
        apiVersion: "v1",
        kind: "Node",
        metadata: {
            name: nodeName,
            annotations: { [FAKE_NODE_ANNOTATION]: "fake" },
            labels: {
                ...pool.labels,
                "kubernetes.io/hostname": nodeName,
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                type: "kwok",
                ...(controlPlane ? { [CONTROL_PLANE_ROLE]: "" } : {}),
            },
        },
        spec:
            controlPlane && pool.workers > 0
                ? { taints: [{ key: CONTROL_PLANE_ROLE, effect: "NoSchedule" }] }
                : {},
    });
    return [
        ...Array.from({ length: pool.controlPlane }, (_, i) =>
            node(name("control-plane", i, pool.controlPlane), true),
        ),
        ...Array.from({ length: pool.workers }, (_, i) =>
            node(name("worker", i, pool.workers), false),
        ),
    ];
}
