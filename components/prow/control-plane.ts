import * as https from "https";
import { parseKubeconfig } from "./kubeconfig";

/** The labels that mark a control-plane node (and the one before Kubernetes 1.24). */
const CONTROL_PLANE_LABELS = [
    "node-role.kubernetes.io/control-plane",
    "node-role.kubernetes.io/master",
];

interface NodeList {
    items: { metadata: { labels?: Record<string, string> } }[];
}

/**
 * Counts the cluster's control-plane nodes from its nodes' labels, or returns undefined when
 * the cluster cannot be asked: unreachable, or its user authenticates in a way this program
 * does not (exec plugins). Needs `list nodes`, which an admin kubeconfig has.
 */
export async function countControlPlaneNodes(
    kubeconfig: string,
    owner: string,
    timeoutMs = 10_000,
): Promise<number | undefined> {
    const { endpoint, user } = parseKubeconfig(kubeconfig, owner);
    if (!user.token && !(user.clientCertificateData && user.clientKeyData)) {
        return undefined;
    }
    const decode = (data?: string) => (data ? Buffer.from(data, "base64") : undefined);
    const body = await new Promise<string | undefined>((resolve) => {
        const request = https.get(
            `${endpoint.server.replace(/\/$/, "")}/api/v1/nodes`,
            {
                ca: decode(endpoint.certificateAuthorityData),
                cert: decode(user.clientCertificateData),
                key: decode(user.clientKeyData),
                rejectUnauthorized: !endpoint.insecureSkipTlsVerify,
                headers: user.token ? { Authorization: `Bearer ${user.token}` } : {},
                timeout: timeoutMs,
            },
            (response) => {
                let text = "";
                response.on("data", (chunk) => (text += chunk));
                response.on("end", () => resolve(response.statusCode === 200 ? text : undefined));
            },
        );
        request.on("timeout", () => request.destroy());
        request.on("error", () => resolve(undefined));
    });
    if (body === undefined) {
        return undefined;
    }
    const nodes = JSON.parse(body) as NodeList;
    return nodes.items.filter((n) =>
        CONTROL_PLANE_LABELS.some((l) => l in (n.metadata.labels ?? {})),
    ).length;
}
