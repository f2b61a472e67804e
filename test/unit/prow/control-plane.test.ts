import { countControlPlaneNodes } from "../../../components/prow/control-plane";
import { FakeCluster, startFakeCluster } from "./fake-cluster";

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
