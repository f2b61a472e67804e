import * as childProcess from "child_process";
import * as net from "net";
import * as yaml from "js-yaml";

/** An admin kubeconfig for `alias`, as a cluster's owner hands it over. */
export function adminKubeconfig(
    alias: string,
    server = `https://${alias}.example.test:6443`,
    token = `${alias}-admin-token`,
) {
    return yaml.dump({
        apiVersion: "v1",
        kind: "Config",
        "current-context": `${alias}-admin@${alias}`,
        clusters: [
            {
                name: alias,
                cluster: {
                    server,
                    "certificate-authority-data": Buffer.from(`ca of ${alias}`).toString("base64"),
                },
            },
        ],
        contexts: [
            {
                name: `${alias}-admin@${alias}`,
                context: { cluster: alias, user: `${alias}-admin` },
            },
        ],
        users: [{ name: `${alias}-admin`, user: { token } }],
    });
}

/** What @kubernetes/client-node reads from a kubeconfig. */
export interface ClientNodeView {
    currentContext: string;
    contexts: { name: string; cluster: string; user: string; namespace?: string }[];
    clusters: { name: string; server: string; caData?: string }[];
    users: { name: string; token?: string }[];
}

/** Expects `alias` to name a context, its cluster and its user, as Prow's jobs select it. */
export function expectAliasRegistered(
    read: ClientNodeView,
    alias: string,
    expected: { server: string; token: string; namespace: string },
) {
    expect(read.contexts).toContainEqual({
        name: alias,
        cluster: alias,
        user: alias,
        namespace: expected.namespace,
    });
    expect(read.clusters.find((c) => c.name === alias)?.server).toBe(expected.server);
    expect(read.users.find((u) => u.name === alias)?.token).toBe(expected.token);
}

/** Reads a kubeconfig with @kubernetes/client-node (ESM, so run in plain Node). */
export function readWithClientNode(kubeconfig: string): ClientNodeView {
    const script = `
        import { KubeConfig } from "@kubernetes/client-node";
        import { readFileSync } from "fs";
        const kc = new KubeConfig();
        kc.loadFromString(readFileSync(0, "utf8"));
        console.log(JSON.stringify({
            currentContext: kc.getCurrentContext(),
            contexts: kc.getContexts().map(({ name, cluster, user, namespace }) => ({ name, cluster, user, namespace })),
            clusters: kc.getClusters().map(({ name, server, caData }) => ({ name, server, caData })),
            users: kc.getUsers().map(({ name, token }) => ({ name, token })),
        }));`;
    const out = childProcess.execFileSync("node", ["--input-type=module", "-e", script], {
        input: kubeconfig,
        cwd: __dirname,
    });
    return JSON.parse(out.toString());
}

/** The claims of a service-account token (a JWT): who it is, when it was issued and expires. */
export function tokenClaims(token: string): { sub: string; iat: number; exp: number } {
    return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
}

/** A build cluster in a merged kubeconfig: its server, CA (base64) and token (`<alias>-token`). */
export interface MergedCluster {
    server: string;
    ca?: string;
    token?: string;
}

/** A merged kubeconfig as Prow's secret holds it: a context, cluster and user per alias. */
export function mergedKubeconfig(clusters: Record<string, MergedCluster>): string {
    const aliases = Object.keys(clusters);
    return yaml.dump({
        apiVersion: "v1",
        kind: "Config",
        "current-context": aliases[0],
        clusters: aliases.map((a) => ({
            name: a,
            cluster: {
                server: clusters[a].server,
                ...(clusters[a].ca ? { "certificate-authority-data": clusters[a].ca } : {}),
            },
        })),
        contexts: aliases.map((a) => ({ name: a, context: { cluster: a, user: a } })),
        users: aliases.map((a) => ({
            name: a,
            user: { token: clusters[a].token ?? `${a}-token` },
        })),
    });
}

/** A loopback port nothing listens on (a server that does not answer). */
export async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
}
