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
 * What counting found: the count; or the HTTP status of an API server that answered but would
 * not list its nodes (401, 403); or nothing, when the cluster could not be reached or trusted.
 */
export type ControlPlaneCount = { nodes: number } | { status: number } | undefined;

/**
 * Counts the cluster's control-plane nodes from its nodes' labels. Needs `list nodes`, which an
 * admin kubeconfig has.
 */
export async function countControlPlaneNodes(
    kubeconfig: string,
    owner: string,
    timeoutMs = 10_000,
): Promise<ControlPlaneCount> {
    const { endpoint, user } = parseKubeconfig(kubeconfig, owner);
    const decode = (data?: string) => (data ? Buffer.from(data, "base64") : undefined);
    const answer = await new Promise<{ status: number; body: string } | undefined>((resolve) => {
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
                let body = "";
                response.on("data", (chunk) => (body += chunk));
                response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
            },
        );
        request.on("timeout", () => request.destroy());
        request.on("error", () => resolve(undefined));
    });
    if (answer === undefined || answer.status !== 200) {
        return answer && { status: answer.status };
    }
    const nodes = JSON.parse(answer.body) as NodeList;
    return {
        nodes: nodes.items.filter((n) =>
            CONTROL_PLANE_LABELS.some((l) => l in (n.metadata.labels ?? {})),
        ).length,
    };
}
