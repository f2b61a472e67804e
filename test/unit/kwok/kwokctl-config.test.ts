import * as yaml from "js-yaml";
import { adminKubeconfig } from "../../../providers/kwok/admin-kubeconfig";
import { failingPodMetadata, FAILING_POD_LABEL } from "../../../providers/kwok/failure";
import { COMPONENT_PORTS, kwokctlConfiguration } from "../../../providers/kwok/kwokctl-config";

const ports = Object.fromEntries(COMPONENT_PORTS.map((c, i) => [c, 25000 + i])) as Record<
    (typeof COMPONENT_PORTS)[number],
    number
>;
const binaries = {
    kubeApiserver: "/t/kube-apiserver",
    kubeControllerManager: "/t/kube-controller-manager",
    kubeScheduler: "/t/kube-scheduler",
    kubectl: "/t/kubectl",
    etcd: "/t/etcd",
    kwokController: "/t/kwok",
};
const stage = "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: s\n";

describe("kwokctlConfiguration", () => {
    const docs = yaml.loadAll(
        kwokctlConfiguration(ports, binaries, "v1.36.3", [stage, stage.replace("s\n", "t\n")]),
    ) as { kind: string; metadata?: { name: string }; options?: Record<string, unknown> }[];

    it("runs the pinned binaries in the binary runtime, on loopback, with RBAC", () => {
        expect(docs[0].kind).toBe("KwokctlConfiguration");
        expect(docs[0].options).toMatchObject({
            runtime: "binary",
            kubeVersion: "v1.36.3",
            bindAddress: "127.0.0.1",
            securePort: true,
            kubeAuthorization: true,
            kubeApiserverBinary: "/t/kube-apiserver",
            etcdBinary: "/t/etcd",
            kwokControllerBinary: "/t/kwok",
        });
    });

    it("sets every component's port, so kwokctl probes none", () => {
        for (const component of COMPONENT_PORTS) {
            expect(docs[0].options![component]).toBe(ports[component]);
        }
    });

    it("carries the stages as documents of their own", () => {
        expect(docs.slice(1).map((d) => [d.kind, d.metadata!.name])).toEqual([
            ["Stage", "s"],
            ["Stage", "t"],
        ]);
    });
});

describe("adminKubeconfig", () => {
    it("embeds the certificates as data and names everything after the cluster", () => {
        const config = yaml.load(
            adminKubeconfig("bootstrap", "https://127.0.0.1:25000", {
                ca: "CA PEM",
                cert: "CERT PEM",
                key: "KEY PEM",
            }),
        ) as any;
        expect(config["current-context"]).toBe("bootstrap");
        expect(config.clusters[0]).toEqual({
            name: "bootstrap",
            cluster: {
                server: "https://127.0.0.1:25000",
                "certificate-authority-data": Buffer.from("CA PEM").toString("base64"),
            },
        });
        expect(config.users[0].user).toEqual({
            "client-certificate-data": Buffer.from("CERT PEM").toString("base64"),
            "client-key-data": Buffer.from("KEY PEM").toString("base64"),
        });
        expect(JSON.stringify(config)).not.toMatch(
            /"client-certificate"|"client-key"|"certificate-authority"/,
        );
    });
});

describe("failingPodMetadata", () => {
    it("labels the pod for kwok's failure stage with the exit code and reason", () => {
        expect(failingPodMetadata(3, "TestsFailed")).toEqual({
            labels: { [FAILING_POD_LABEL]: "true" },
            annotations: {
                [`${FAILING_POD_LABEL}/exit-code`]: "3",
                [`${FAILING_POD_LABEL}/reason`]: "TestsFailed",
            },
        });
    });
});
