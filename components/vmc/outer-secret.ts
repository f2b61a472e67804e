import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SshKeyPair } from "../../providers/credentials/generated";
import { VCenterConnection } from "../../providers/vsphere/connection";
import { BootstrapCluster } from "./bootstrap-cluster";
import { JumpHost } from "./jump-host";
import { OUTER_SECRET, OuterSecretValues } from "./names";

export interface LocalOuterSecretArgs {
    connection: VCenterConnection;
    jumpHost: JumpHost;
    bootstrap: BootstrapCluster;
    /** Prow's service cluster (its stand-in), where the outer secret is made. */
    prowProvider: k8s.Provider;
    namespace: string;
    labels: Record<string, string>;
}

/**
 * The local stack's outer secret `clusterapi-provider-vsphere-ci-prow` (CAPV's
 * scripts/e2e/bootstrap_secret.template), made on Prow's stand-in from the VMs' keys, a
 * generated target-VM key and the simulator's credentials, to be read back from there as CI
 * reads Prow's. Resources keep the names they had in stacks/vmc.ts (`${prefix}-target-vm-ssh`,
 * `${prefix}-ci-prow-secret`), at the stack's top level.
 */
export function localOuterSecret(prefix: string, args: LocalOuterSecretArgs) {
    const target = new SshKeyPair(`${prefix}-target-vm-ssh`, { comment: "target-vm" });
    const c = args.connection;
    const values: Record<keyof OuterSecretValues, pulumi.Input<string>> = {
        jumphost: args.jumpHost.address,
        "jumphost-key": args.jumpHost.privateKey,
        "bootstrapper-key": args.bootstrap.privateKey,
        "target-vm-ssh": target.privateKeyPem,
        "target-vm-ssh-pub": target.publicKey,
        "vsphere-username": c.username,
        "vsphere-password": c.password,
        "vsphere-server": c.server,
        "cluster-api-vsphere-gcr-service-account": JSON.stringify({
            type: "service_account",
            project_id: "k8s-ci-envs-local",
        }),
    };
    const outer = new k8s.core.v1.Secret(
        `${prefix}-ci-prow-secret`,
        {
            metadata: { name: OUTER_SECRET, namespace: args.namespace, labels: args.labels },
            type: "Opaque",
            stringData: pulumi.secret(pulumi.output(values)),
        },
        { provider: args.prowProvider },
    );
    return {
        prow: { provider: args.prowProvider, namespace: args.namespace },
        readAfter: [outer],
        prowSecret: pulumi.interpolate`${outer.metadata.namespace}/${outer.metadata.name}`,
    };
}
