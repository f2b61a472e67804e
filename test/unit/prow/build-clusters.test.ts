/**
 * Prow's own kubeconfig loader (prow-build-clusters, on sigs.k8s.io/prow) on merged kubeconfigs:
 * a build cluster is usable when it answers and lets Prow's user manage pods in pod_namespace.
 */
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { selfSignedCertificate } from "../../support/certificates";
import { prowBuildClusters } from "../../support/prow-tools";
import { closedPort, mergedKubeconfig } from "../../support/prow-fixtures";

jest.setTimeout(120_000);

const JOBS_NAMESPACE = "kubevirt-prow-jobs";
const ALIASES = ["prow-workloads", "prow-arm64-workloads", "prow-s390x-workloads"];

/**
 * An API server that answers only SelfSubjectAccessReviews, which is all Prow's loader asks: the
 * token `<alias>-token` may do anything to pods in the jobs namespace, and nothing elsewhere.
 */
interface Authorizer {
    server: string;
    ca: string;
    close(): Promise<void>;
}

async function startAuthorizer(): Promise<Authorizer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prow-authorizer-"));
    const { cert, key } = selfSignedCertificate(dir, "kube-apiserver", "IP:127.0.0.1");
    const server = https.createServer({ cert, key }, (req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
            const token = /^Bearer (.+)-token$/.exec(req.headers.authorization ?? "")?.[1];
            if (token === undefined || !ALIASES.includes(token)) {
                res.writeHead(401, { "content-type": "application/json" }).end(
                    JSON.stringify({
                        kind: "Status",
                        apiVersion: "v1",
                        code: 401,
                        reason: "Unauthorized",
                    }),
                );
                return;
            }
            if (
                req.method !== "POST" ||
                !req.url?.startsWith("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
            ) {
                res.writeHead(404).end();
                return;
            }
            const review = JSON.parse(body);
            review.status = {
                allowed: review.spec.resourceAttributes.namespace === JOBS_NAMESPACE,
            };
            res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify(review));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    return {
        server: `https://127.0.0.1:${port}`,
        ca: Buffer.from(cert).toString("base64"),
        close: async () => {
            await new Promise((resolve) => server.close(resolve));
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

let authorizer: Authorizer;
beforeAll(async () => (authorizer = await startAuthorizer()));
afterAll(() => authorizer.close());

const onAuthorizer = (extra: Record<string, { token: string }> = {}) =>
    mergedKubeconfig(
        Object.fromEntries(
            ALIASES.map((a) => [a, { server: authorizer.server, ca: authorizer.ca, ...extra[a] }]),
        ),
    );

describe("prowBuildClusters, Prow's loader on a merged kubeconfig", () => {
    it("finds every build cluster reachable and allowed to run pods in the jobs namespace", async () => {
        expect(await prowBuildClusters(onAuthorizer(), JOBS_NAMESPACE)).toEqual(
            // `default` is Prow's alias for the current context.
            [...ALIASES, "default"].sort().map((context) => ({ context, ok: true })),
        );
    });

    it("finds none usable when Prow's pod_namespace is left at its default", async () => {
        const statuses = await prowBuildClusters(onAuthorizer(), "default");
        expect(statuses.map((s) => s.ok)).toEqual([false, false, false, false]);
        for (const s of statuses) {
            expect(s.reason).toContain(
                `failed pod resource authorization check for cluster ${s.context}: [missing permissions: unable to "create" pods`,
            );
        }
    });

    it("tells which cluster refuses its credentials, and passes the others", async () => {
        const statuses = await prowBuildClusters(
            onAuthorizer({ "prow-arm64-workloads": { token: "stale-token" } }),
            JOBS_NAMESPACE,
        );
        const arm = statuses.find((s) => s.context === "prow-arm64-workloads")!;
        expect(arm.ok).toBe(false);
        expect(arm.reason).toBe(
            "failed pod resource authorization check for cluster prow-arm64-workloads: the server has asked for the client to provide credentials (post selfsubjectaccessreviews.authorization.k8s.io)",
        );
        expect(statuses.filter((s) => s.ok).map((s) => s.context)).toEqual([
            "default",
            "prow-s390x-workloads",
            "prow-workloads",
        ]);
    });

    it("says a cluster whose server does not answer is not usable, and why", async () => {
        const port = await closedPort();
        const statuses = await prowBuildClusters(
            mergedKubeconfig({ "prow-workloads": { server: `https://127.0.0.1:${port}` } }),
            JOBS_NAMESPACE,
        );
        expect(statuses).toHaveLength(2);
        for (const s of statuses) {
            expect(s.ok).toBe(false);
            expect(s.reason).toContain(`127.0.0.1:${port}: connect: connection refused`);
        }
    });

    it("throws Prow's error for a kubeconfig it cannot load", async () => {
        const noServer = mergedKubeconfig({ "prow-workloads": { server: "" } });
        await expect(prowBuildClusters(noServer, JOBS_NAMESPACE)).rejects.toThrow(
            'Prow cannot load the kubeconfig: load --kubeconfig="',
        );
        await expect(prowBuildClusters(noServer, JOBS_NAMESPACE)).rejects.toThrow(
            'no server found for cluster "prow-workloads"',
        );
    });
});
