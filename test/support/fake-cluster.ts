import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { selfSignedCertificate } from "./certificates";

/**
 * A reachable stand-in for a cluster's API server: GET /api/v1/nodes with a bearer token, and
 * any other GET path (with its query) a route answers.
 */
export interface FakeCluster {
    kubeconfig(token?: string, ca?: string): string;
    close(): Promise<void>;
}

export async function startFakeCluster(
    nodes: { name: string; roles: string[] }[],
    /** How many requests it drops unanswered first, as an API server still starting would. */
    unansweredFirst = 0,
    /** The body of each other path, as JSON; undefined answers 404 NotFound, as the API's Status. */
    routes: Record<string, () => unknown> = {},
): Promise<FakeCluster> {
    let unanswered = unansweredFirst;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-cluster-"));
    const { cert, key } = selfSignedCertificate(dir, "kube-apiserver", "IP:127.0.0.1");
    const server = https.createServer({ cert, key }, (req, res) => {
        if (unanswered-- > 0) {
            req.socket.destroy();
            return;
        }
        // viewer-token authenticates but may not list nodes.
        if (req.headers.authorization !== "Bearer admin-token") {
            res.writeHead(req.headers.authorization === "Bearer viewer-token" ? 403 : 401).end();
            return;
        }
        const route = req.url === undefined ? undefined : routes[req.url];
        if (route !== undefined) {
            const body = route();
            const notFound = { kind: "Status", status: "Failure", reason: "NotFound", code: 404 };
            res.writeHead(body === undefined ? 404 : 200, {
                "content-type": "application/json",
            }).end(JSON.stringify(body ?? { ...notFound, message: `${req.url} not found` }));
            return;
        }
        if (req.url !== "/api/v1/nodes") {
            res.writeHead(404).end();
            return;
        }
        const items = nodes.map((n) => ({
            metadata: {
                name: n.name,
                labels: Object.fromEntries(
                    n.roles.map((r) => [`node-role.kubernetes.io/${r}`, ""]),
                ),
            },
        }));
        res.writeHead(200, { "content-type": "application/json" }).end(
            JSON.stringify({ kind: "NodeList", items }),
        );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    server.unref(); // a test process that forgets to close it still exits
    fs.rmSync(dir, { recursive: true, force: true }); // the certificate is in memory now
    const port = (server.address() as { port: number }).port;
    return {
        kubeconfig: (token = "admin-token", ca = Buffer.from(cert).toString("base64")) =>
            yaml.dump({
                apiVersion: "v1",
                kind: "Config",
                "current-context": "admin",
                clusters: [
                    {
                        name: "fake",
                        cluster: {
                            server: `https://127.0.0.1:${port}`,
                            "certificate-authority-data": ca,
                        },
                    },
                ],
                contexts: [{ name: "admin", context: { cluster: "fake", user: "admin" } }],
                users: [{ name: "admin", user: { token } }],
            }),
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}
