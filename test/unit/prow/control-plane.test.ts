import * as yaml from "js-yaml";
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
        expect(await countControlPlaneNodes(cluster.kubeconfig(), "cluster fake")).toBe(3);
    });

    it("cannot count a cluster it may not ask, or does not trust", async () => {
        expect(
            await countControlPlaneNodes(cluster.kubeconfig("wrong-token"), "cluster fake"),
        ).toBeUndefined();
        const otherCa = Buffer.from(
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        ).toString("base64");
        expect(
            await countControlPlaneNodes(
                cluster.kubeconfig("admin-token", otherCa),
                "cluster fake",
            ),
        ).toBeUndefined();
    });

    it("cannot count an unreachable cluster, or one whose user runs an exec plugin", async () => {
        const unreachable = cluster.kubeconfig().replace(/127\.0\.0\.1:\d+/, "127.0.0.1:9");
        expect(await countControlPlaneNodes(unreachable, "cluster fake", 2000)).toBeUndefined();
        const exec = yaml.load(cluster.kubeconfig()) as { users: { user: object }[] };
        exec.users[0].user = {
            exec: {
                command: "gke-gcloud-auth-plugin",
                apiVersion: "client.authentication.k8s.io/v1beta1",
            },
        };
        expect(await countControlPlaneNodes(yaml.dump(exec), "cluster fake")).toBeUndefined();
    });
});
