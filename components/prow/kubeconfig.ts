import * as yaml from "js-yaml";

/** Where a kubeconfig's current context points: the API server and how to trust it. */
export interface ClusterEndpoint {
    server: string;
    certificateAuthorityData?: string;
    insecureSkipTlsVerify?: boolean;
}

interface KubeconfigDocument {
    apiVersion?: string;
    kind?: string;
    "current-context"?: string;
    clusters?: { name: string; cluster: Record<string, unknown> }[];
    contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
    users?: { name: string; user: Record<string, unknown> }[];
}

/** How a kubeconfig's current user authenticates, when this program can do it itself. */
export interface UserCredentials {
    token?: string;
    clientCertificateData?: string;
    clientKeyData?: string;
}

export interface KubeconfigAccess {
    endpoint: ClusterEndpoint;
    user: UserCredentials;
}

/**
 * Keys that make a kubeconfig depend on the machine that reads it: files, and credential plugins
 * (Prow's components and the preflight run neither). Each is refused, with what to give instead.
 */
const PLUGIN =
    "runs a credential plugin; give a token or client-certificate-data and client-key-data";
const NOT_SELF_CONTAINED: Record<string, string> = {
    "certificate-authority": "is a file path; embed it as certificate-authority-data",
    "client-certificate": "is a file path; embed it as client-certificate-data",
    "client-key": "is a file path; embed it as client-key-data",
    tokenFile: "is a file path; embed the token as token",
    exec: PLUGIN,
    "auth-provider": PLUGIN,
};

function notSelfContained(entry: Record<string, unknown>, what: string): string[] {
    return Object.keys(NOT_SELF_CONTAINED)
        .filter((key) => entry[key] !== undefined)
        .map((key) => `${what}: key ${key} ${NOT_SELF_CONTAINED[key]}`);
}

/**
 * The endpoint and user of a kubeconfig's current context, or why the kubeconfig is unusable.
 * `owner` names the cluster in the message, as the refusal must. The server must be https.
 * A kubeconfig handed on (to Prow's pods, jobs, or gpg recipients) must also be self-contained:
 * certificates and credentials embedded as data. One only Pulumi reads (`selfContained: false`,
 * Prow's service cluster) may use files and credential plugins, as kubectl on the runner would.
 */
export function parseKubeconfig(
    text: string,
    owner: string,
    { selfContained }: { selfContained: boolean } = { selfContained: true },
): KubeconfigAccess {
    let doc: KubeconfigDocument;
    try {
        doc = yaml.load(text) as KubeconfigDocument;
    } catch (err) {
        throw new Error(
            `${owner}: the kubeconfig is not YAML: ${(err as Error).message.split("\n")[0]}`,
        );
    }
    if (typeof doc !== "object" || doc === null || doc.kind !== "Config") {
        throw new Error(`${owner}: the kubeconfig is not a kubeconfig (kind: Config)`);
    }
    const contextName = doc["current-context"];
    const context = doc.contexts?.find((c) => c.name === contextName)?.context;
    if (!contextName || !context) {
        throw new Error(
            `${owner}: the kubeconfig's current-context ${JSON.stringify(contextName ?? "")} names no context`,
        );
    }
    const clusterName = JSON.stringify(context.cluster);
    const cluster = doc.clusters?.find((c) => c.name === context.cluster)?.cluster;
    if (!cluster || typeof cluster.server !== "string" || !/^https:\/\//.test(cluster.server)) {
        throw new Error(
            `${owner}: the kubeconfig's cluster ${clusterName} has no https server (key server: ${JSON.stringify(cluster?.server ?? "")})`,
        );
    }
    const userName = JSON.stringify(context.user);
    const user = doc.users?.find((u) => u.name === context.user)?.user;
    if (!user) {
        throw new Error(`${owner}: the kubeconfig's user ${userName} is not defined`);
    }
    if (selfContained) {
        checkSelfContained(owner, cluster, clusterName, user, userName);
    }
    return {
        endpoint: {
            server: cluster.server,
            certificateAuthorityData: cluster["certificate-authority-data"] as string | undefined,
            insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true ? true : undefined,
        },
        user: {
            token: user.token as string | undefined,
            clientCertificateData: user["client-certificate-data"] as string | undefined,
            clientKeyData: user["client-key-data"] as string | undefined,
        },
    };
}

function checkSelfContained(
    owner: string,
    cluster: Record<string, unknown>,
    clusterName: string,
    user: Record<string, unknown>,
    userName: string,
): void {
    const refusals = [
        ...notSelfContained(cluster, `cluster ${clusterName}`),
        ...notSelfContained(user, `user ${userName}`),
    ];
    if (refusals.length > 0) {
        throw new Error(`${owner}: the kubeconfig's ${refusals.join("; the kubeconfig's ")}`);
    }
    if (!user.token && !(user["client-certificate-data"] && user["client-key-data"])) {
        throw new Error(
            `${owner}: the kubeconfig's user ${userName} has no embedded credentials (key token, or keys client-certificate-data and client-key-data)`,
        );
    }
}

/**
 * Refuses an endpoint that would hand Prow `insecure-skip-tls-verify`: Prow would send its
 * token to whatever answers at the server's address. `owner` names the cluster.
 */
export function checkProwTrust(endpoint: ClusterEndpoint, owner: string): void {
    if (endpoint.insecureSkipTlsVerify) {
        throw new Error(
            `${owner}: the kubeconfig sets insecure-skip-tls-verify, which Prow's kubeconfig must not carry (Prow would send its token to any server); give the cluster's certificate-authority-data instead`,
        );
    }
}

/** A build cluster's entry in Prow's kubeconfig: context, cluster and user all named `alias`. */
export interface ClusterCredentials {
    alias: string;
    endpoint: ClusterEndpoint;
    token: string;
    namespace: string;
}

function clusterEntry(c: ClusterCredentials) {
    return {
        name: c.alias,
        cluster: {
            server: c.endpoint.server,
            ...(c.endpoint.certificateAuthorityData
                ? { "certificate-authority-data": c.endpoint.certificateAuthorityData }
                : {}),
        },
    };
}

/**
 * One kubeconfig holding every build cluster (as `kubectl config view --flatten` of the
 * per-cluster files gives), with `currentContext` current. Every cluster's TLS is verified.
 */
export function mergeKubeconfigs(clusters: ClusterCredentials[], currentContext: string): string {
    if (!clusters.some((c) => c.alias === currentContext)) {
        throw new Error(`current context ${currentContext} is not one of the clusters`);
    }
    clusters.forEach((c) => checkProwTrust(c.endpoint, `cluster ${c.alias}`));
    return yaml.dump(
        {
            apiVersion: "v1",
            kind: "Config",
            "current-context": currentContext,
            clusters: clusters.map(clusterEntry),
            contexts: clusters.map((c) => ({
                name: c.alias,
                context: { cluster: c.alias, user: c.alias, namespace: c.namespace },
            })),
            users: clusters.map((c) => ({ name: c.alias, user: { token: c.token } })),
        },
        { lineWidth: -1, noRefs: true },
    );
}
