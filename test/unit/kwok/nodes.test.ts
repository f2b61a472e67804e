import {
    CONTROL_PLANE_ROLE,
    FAKE_NODE_ANNOTATION,
    nodeManifests,
    validateNodePool,
} from "../../../providers/kwok/nodes";

type Node = {
    metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
    spec: { taints?: { key: string; effect: string }[] };
};

describe("nodeManifests", () => {
    it("names nodes as kind does and marks every one for kwok", () => {
        const nodes = nodeManifests("c", { controlPlane: 3, workers: 1 }) as Node[];
        expect(nodes.map((n) => n.metadata.name)).toEqual([
            "c-control-plane-1",
            "c-control-plane-2",
            "c-control-plane-3",
            "c-worker",
        ]);
        for (const n of nodes) {
            expect(n.metadata.annotations[FAKE_NODE_ANNOTATION]).toBe("fake");
            expect(n.metadata.labels["kubernetes.io/hostname"]).toBe(n.metadata.name);
        }
    });

    it("gives the control-plane role to control-plane nodes only", () => {
        const nodes = nodeManifests("c", { controlPlane: 1, workers: 2 }) as Node[];
        expect(nodes.filter((n) => CONTROL_PLANE_ROLE in n.metadata.labels)).toHaveLength(1);
        expect(nodes[0].metadata.labels[CONTROL_PLANE_ROLE]).toBe("");
    });

    it("taints the control plane NoSchedule only when workers can run the pods", () => {
        const alone = nodeManifests("c", { controlPlane: 1, workers: 0 }) as Node[];
        expect(alone[0].spec.taints).toBeUndefined();
        const withWorkers = nodeManifests("c", { controlPlane: 1, workers: 1 }) as Node[];
        expect(withWorkers[0].spec.taints).toEqual([
            { key: CONTROL_PLANE_ROLE, effect: "NoSchedule" },
        ]);
        expect(withWorkers[1].spec.taints).toBeUndefined();
    });

    it("adds the pool's labels to every node", () => {
        const nodes = nodeManifests("c", {
            controlPlane: 1,
            workers: 1,
            labels: { arch: "s390x" },
        }) as Node[];
        expect(nodes.every((n) => n.metadata.labels.arch === "s390x")).toBe(true);
    });
});

describe("validateNodePool", () => {
    it("accepts a kind-like pool", () => {
        expect(validateNodePool("nodes", { controlPlane: 1, workers: 0 })).toEqual([]);
    });

    it("names the field and the rule", () => {
        expect(validateNodePool("nodes", { controlPlane: 0, workers: -1 })).toEqual([
            { field: "nodes.controlPlane", message: "must be an integer from 1 to 7; got 0" },
            { field: "nodes.workers", message: "must be an integer from 0 to 20; got -1" },
        ]);
    });

    it("refuses role labels, which the pool's counts decide", () => {
        expect(
            validateNodePool("nodes", {
                controlPlane: 1,
                workers: 0,
                labels: { [CONTROL_PLANE_ROLE]: "" },
            }),
        ).toEqual([
            { field: "nodes.labels", message: `must not set roles (${CONTROL_PLANE_ROLE})` },
        ]);
    });
});
