import * as yaml from "js-yaml";

/** The cluster's CA and admin client certificate, PEM. */
export interface AdminCredentials {
    ca: string;
    cert: string;
    key: string;
}

/**
 * A self-contained admin kubeconfig (certificates embedded as data, no file paths), with
 * cluster, context and user all named after the cluster.
 */
export function adminKubeconfig(name: string, server: string, creds: AdminCredentials): string {
    const b64 = (pem: string) => Buffer.from(pem).toString("base64");
    return yaml.dump({
        apiVersion: "v1",
        kind: "Config",
        "current-context": name,
        clusters: [{ name, cluster: { server, "certificate-authority-data": b64(creds.ca) } }],
        contexts: [{ name, context: { cluster: name, user: `${name}-admin` } }],
        users: [
            {
                name: `${name}-admin`,
                user: {
                    "client-certificate-data": b64(creds.cert),
                    "client-key-data": b64(creds.key),
                },
            },
        ],
    });
}
