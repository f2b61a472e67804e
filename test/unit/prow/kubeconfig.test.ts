import { mergeKubeconfigs, parseKubeconfig } from "../../../components/prow/kubeconfig";
import { adminKubeconfig, expectAliasRegistered, readWithClientNode } from "./fixtures";

const ALIASES = ["prow-workloads", "prow-arm64-workloads", "prow-s390x-workloads"];

describe("parseKubeconfig", () => {
    it("finds the current context's server, CA and user", () => {
        const access = parseKubeconfig(adminKubeconfig("prow-workloads"), "cluster prow-workloads");
        expect(access.endpoint).toEqual({
            server: "https://prow-workloads.example.test:6443",
            certificateAuthorityData: Buffer.from("ca of prow-workloads").toString("base64"),
            insecureSkipTlsVerify: undefined,
        });
        expect(access.user.token).toBe("prow-workloads-admin-token");
    });

    it.each([
        ["not: [yaml", "the kubeconfig is not YAML"],
        ["kind: Pod\n", "the kubeconfig is not a kubeconfig (kind: Config)"],
        [
            "kind: Config\ncurrent-context: x\n",
            `the kubeconfig's current-context "x" names no context`,
        ],
        [adminKubeconfig("c", "ftp://c:6443"), `the kubeconfig's cluster "c" has no https server`],
        [
            adminKubeconfig("c").replace(/users:[\s\S]*/, "users: []\n"),
            `the kubeconfig's user "c-admin" is not defined`,
        ],
    ])("refuses %j, naming the cluster", (text, reason) => {
        expect(() => parseKubeconfig(text, "cluster prow-s390x-workloads")).toThrow(
            `cluster prow-s390x-workloads: ${reason}`,
        );
    });
});

describe("mergeKubeconfigs", () => {
    const merged = mergeKubeconfigs(
        ALIASES.map((alias) => ({
            alias,
            endpoint: parseKubeconfig(adminKubeconfig(alias), alias).endpoint,
            token: `sa-token-${alias}`,
            namespace: "kubevirt-prow-jobs",
        })),
        "prow-workloads",
    );

    it("names each cluster's context, cluster and user by its alias, as a real client reads it", () => {
        const read = readWithClientNode(merged);
        expect(read.currentContext).toBe("prow-workloads");
        for (const alias of ALIASES) {
            expectAliasRegistered(read, alias, {
                server: `https://${alias}.example.test:6443`,
                token: `sa-token-${alias}`,
                namespace: "kubevirt-prow-jobs",
            });
            expect(read.clusters.find((c) => c.name === alias)?.caData).toBe(
                Buffer.from(`ca of ${alias}`).toString("base64"),
            );
        }
    });

    it("refuses a current context that is not one of the clusters", () => {
        expect(() => mergeKubeconfigs([], "default")).toThrow(/current context default/);
    });
});
