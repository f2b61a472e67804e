import * as yaml from "js-yaml";
import { mergeKubeconfigs, parseKubeconfig } from "../../../components/prow/kubeconfig";
import {
    adminKubeconfig,
    expectAliasRegistered,
    readWithClientNode,
} from "../../support/prow-fixtures";

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
            adminKubeconfig("c", "http://c:6443"),
            `the kubeconfig's cluster "c" has no https server (key server: "http://c:6443")`,
        ],
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

/** The fixture kubeconfig of cluster "c", with its cluster's or user's entry changed. */
function edited(entry: "cluster" | "user", change: Record<string, unknown>): string {
    const doc = yaml.load(adminKubeconfig("c")) as {
        clusters: { cluster: Record<string, unknown> }[];
        users: { user: Record<string, unknown> }[];
    };
    const target = entry === "cluster" ? doc.clusters[0].cluster : doc.users[0].user;
    for (const [key, value] of Object.entries(change)) {
        if (value === undefined) {
            delete target[key];
        } else {
            target[key] = value;
        }
    }
    return yaml.dump(doc);
}

describe("parseKubeconfig refuses a kubeconfig that is not self-contained", () => {
    const PLUGIN = "runs a credential plugin";
    it.each([
        [
            "cluster",
            { "certificate-authority": "/etc/ca.crt" },
            `cluster "c": key certificate-authority is a file path; embed it as certificate-authority-data`,
        ],
        [
            "user",
            { "client-certificate": "/etc/c.crt" },
            `user "c-admin": key client-certificate is a file path`,
        ],
        ["user", { "client-key": "/etc/c.key" }, `user "c-admin": key client-key is a file path`],
        ["user", { tokenFile: "/var/run/token" }, `user "c-admin": key tokenFile is a file path`],
        [
            "user",
            { token: undefined, exec: { command: "gke-gcloud-auth-plugin" } },
            `user "c-admin": key exec ${PLUGIN}`,
        ],
        [
            "user",
            { token: undefined, "auth-provider": { name: "oidc" } },
            `user "c-admin": key auth-provider ${PLUGIN}`,
        ],
        [
            "user",
            { token: undefined, username: "admin", password: "x" },
            `user "c-admin" has no embedded credentials (key token, or keys client-certificate-data and client-key-data)`,
        ],
        [
            "user",
            { token: undefined, "client-certificate-data": "Y2VydA==" },
            `user "c-admin" has no embedded credentials`,
        ],
    ] as const)("%s %j, naming the cluster and the key", (entry, change, reason) => {
        expect(() => parseKubeconfig(edited(entry, change), "cluster prow-workloads")).toThrow(
            `cluster prow-workloads: the kubeconfig's ${reason}`,
        );
    });

    it("accepts embedded client certificates", () => {
        const text = edited("user", {
            token: undefined,
            "client-certificate-data": "Y2VydA==",
            "client-key-data": "a2V5",
        });
        expect(parseKubeconfig(text, "cluster c").user).toEqual({
            token: undefined,
            clientCertificateData: "Y2VydA==",
            clientKeyData: "a2V5",
        });
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

    it("refuses a cluster whose kubeconfig skips TLS verification, naming it", () => {
        const insecure = edited("cluster", {
            "certificate-authority-data": undefined,
            "insecure-skip-tls-verify": true,
        });
        const endpoint = parseKubeconfig(insecure, "cluster c").endpoint;
        expect(endpoint.insecureSkipTlsVerify).toBe(true);
        expect(() =>
            mergeKubeconfigs(
                [{ alias: "prow-arm64-workloads", endpoint, token: "t", namespace: "ns" }],
                "prow-arm64-workloads",
            ),
        ).toThrow(
            "cluster prow-arm64-workloads: the kubeconfig sets insecure-skip-tls-verify, which Prow's kubeconfig must not carry",
        );
    });

    it("refuses a current context that is not one of the clusters", () => {
        expect(() => mergeKubeconfigs([], "default")).toThrow(/current context default/);
    });
});
