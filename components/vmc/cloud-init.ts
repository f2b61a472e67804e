import * as yaml from "js-yaml";
import { renderCloudConfig } from "../devstack/cloud-init/common";
import { CloudConfig, CloudUser } from "../devstack/cloud-init/types";
import { KIND_API_PORT, KIND_CLUSTER, SSH_USER } from "./names";

/** CI's login on the VMs: the key's user, passwordless sudo. */
export function loginUser(publicKey: string): CloudUser {
    return {
        name: SSH_USER,
        lock_passwd: true,
        sudo: "ALL=(ALL) NOPASSWD:ALL",
        shell: "/bin/bash",
        ssh_authorized_keys: [publicKey],
    };
}

/** The jump host's user data: only the login. */
export function jumpHostUserData(publicKey: string): string {
    return renderCloudConfig({ users: [loginUser(publicKey)] });
}

const DIR = "/opt/bootstrap";

/**
 * The script that creates kind on the bootstrap VM, as CAPV's create_kind_cluster.sh: the API
 * server on the VM's own address (found at boot: DHCP or static), which is also a SAN of its
 * certificate.
 */
export function kindScript(kindVersion: string): string {
    return `#!/bin/bash
set -o errexit -o nounset -o pipefail
address=$(hostname -I | awk '{print $1}')
curl -fsSLo /usr/local/bin/kind https://kind.sigs.k8s.io/dl/${kindVersion}/kind-linux-amd64
chmod 0755 /usr/local/bin/kind
cat > ${DIR}/kind.yaml <<EOF
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  apiServerAddress: "$address"
  apiServerPort: ${KIND_API_PORT}
kubeadmConfigPatches:
  - |
    kind: ClusterConfiguration
    apiServer:
      certSANs: ["$address"]
EOF
kind create cluster --name ${KIND_CLUSTER} --config ${DIR}/kind.yaml --wait 5m
`;
}

/** The bootstrap VM's user data: the login, docker, and kind created by the script above. */
export function bootstrapUserData(publicKey: string, kindVersion: string): string {
    const config: CloudConfig = {
        users: [loginUser(publicKey)],
        packages: ["docker.io", "curl"],
        write_files: [
            {
                path: `${DIR}/create-kind.sh`,
                permissions: "0700",
                content: kindScript(kindVersion),
            },
        ],
        runcmd: [`${DIR}/create-kind.sh`],
        final_message: "the bootstrap cluster is up after $UPTIME seconds",
    };
    return renderCloudConfig(config);
}

/**
 * What CI runs on the bootstrap VM, through the jump host, to fetch kind's kubeconfig: wait for
 * cloud-init to finish (failing if it failed), then print the kubeconfig.
 */
export const FETCH_KUBECONFIG = [
    "set -o errexit -o pipefail",
    "sudo cloud-init status --wait >/dev/null",
    `sudo kind get kubeconfig --name ${KIND_CLUSTER}`,
].join("\n");

interface Kubeconfig {
    clusters?: { name: string; cluster: { server: string } }[];
}

/**
 * The kubeconfig with every cluster's server on the VM's address, as CAPV's create_kind_cluster.sh rewrites
 * localhost to the VM's IP.
 */
export function rewriteServer(kubeconfig: string, address: string): string {
    const config = yaml.load(kubeconfig) as Kubeconfig | undefined;
    if (!config?.clusters?.length) {
        throw new Error("the bootstrap VM printed no kubeconfig with a cluster");
    }
    for (const c of config.clusters) {
        c.cluster.server = `https://${address}:${KIND_API_PORT}`;
    }
    return yaml.dump(config, { lineWidth: -1 });
}
