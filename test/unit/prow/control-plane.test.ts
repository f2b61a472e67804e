import { countControlPlaneNodes } from "../../../components/prow/control-plane";
import { requireHaControlPlane } from "../../../stacks/prow-preflight";
import { FakeCluster, startFakeCluster } from "../../support/fake-cluster";

let cluster: FakeCluster;

beforeAll(async () => {
    cluster = await startFakeCluster([
        { name: "cp-0", roles: ["control-plane"] },
        { name: "cp-1", roles: ["control-plane", "master"] },
        { name: "cp-legacy", roles: ["master"] },
        { name: "worker-0", roles: ["worker"] },
        { name: "worker-1", roles: [] },
    ]);
});

afterAll(() => cluster.close());

describe("countControlPlaneNodes", () => {
    it("counts the nodes labeled control-plane (or master, before Kubernetes 1.24)", async () => {
        expect(await countControlPlaneNodes(cluster.kubeconfig(), "cluster fake")).toEqual({
            nodes: 3,
        });
    });

    it("says how a reachable cluster refused to list its nodes", async () => {
        expect(
            await countControlPlaneNodes(cluster.kubeconfig("wrong-token"), "cluster fake"),
        ).toEqual({ status: 401 });
        expect(
            await countControlPlaneNodes(cluster.kubeconfig("viewer-token"), "cluster fake"),
        ).toEqual({ status: 403 });
    });

    it("cannot count a cluster it does not trust, or cannot reach", async () => {
        const otherCa = Buffer.from(
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        ).toString("base64");
        expect(
            await countControlPlaneNodes(
                cluster.kubeconfig("admin-token", otherCa),
                "cluster fake",
            ),
        ).toBeUndefined();
        const unreachable = cluster.kubeconfig().replace(/127\.0\.0\.1:\d+/, "127.0.0.1:9");
        expect(await countControlPlaneNodes(unreachable, "cluster fake", 2000)).toBeUndefined();
    });
});

describe("requireHaControlPlane, on a cluster the stack has just made", () => {
    const field = "prowBuildClusters[0]";

    it("passes the kubeconfig on once the nodes show three control-plane nodes", async () => {
        const kubeconfig = cluster.kubeconfig();
        await expect(requireHaControlPlane(field, "fake", kubeconfig, 10)).resolves.toBe(
            kubeconfig,
        );
    });

    it("asks again while the new API server does not answer", async () => {
        const starting = await startFakeCluster(
            [1, 2, 3].map((i) => ({ name: `cp-${i}`, roles: ["control-plane"] })),
            2,
        );
        try {
            await expect(
                requireHaControlPlane(field, "starting", starting.kubeconfig(), 10),
            ).resolves.toBe(starting.kubeconfig());
        } finally {
            await starting.close();
        }
    });

    it("refuses a cluster that never answers, or answers without its nodes, naming the key", async () => {
        const unreachable = cluster.kubeconfig().replace(/127\.0\.0\.1:\d+/, "127.0.0.1:9");
        await expect(requireHaControlPlane(field, "gone", unreachable, 10)).rejects.toThrow(
            /k8s-ci-envs:prowBuildClusters\[0\] cluster gone did not answer when asked for its nodes \(6 tries\)/,
        );
        await expect(
            requireHaControlPlane(field, "fake", cluster.kubeconfig("viewer-token"), 10),
        ).rejects.toThrow("cluster fake answered 403 when asked for its nodes");
    });

    it("refuses a cluster with fewer than three control-plane nodes", async () => {
        const small = await startFakeCluster([{ name: "cp-0", roles: ["control-plane"] }]);
        try {
            await expect(
                requireHaControlPlane(field, "small", small.kubeconfig(), 10),
            ).rejects.toThrow(/k8s-ci-envs:prowBuildClusters\[0\].*3/);
        } finally {
            await small.close();
        }
    });
});
