import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { EncryptedFile } from "../../providers/credentials/pgp";

export interface EncryptedKubeconfigsArgs {
    /** Admin kubeconfigs (secrets), by cluster name. */
    kubeconfigs: Record<string, pulumi.Input<string>>;
    /** The automation key, armored, and the key id or fingerprint it must have. */
    recipientKey: pulumi.Input<string>;
    recipient: pulumi.Input<string>;
    /** The files go to <dir>/<cluster>.kubeconfig.asc. */
    dir: string;
    stackDir: string;
}

/**
 * Each kubeconfig encrypted to KubeVirt's automation key, as the "add a cluster" issue
 * attaches it: only the key's holder (the CI maintainers' automation) can read them.
 */
export class EncryptedKubeconfigs extends pulumi.ComponentResource {
    /** The armored files' paths, by cluster name. */
    public readonly files: Record<string, pulumi.Output<string>>;

    constructor(
        name: string,
        args: EncryptedKubeconfigsArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("k8sci:prow:EncryptedKubeconfigs", name, {}, opts);
        this.files = Object.fromEntries(
            Object.entries(args.kubeconfigs).map(([cluster, kubeconfig]) => [
                cluster,
                new EncryptedFile(
                    `${name}-${cluster}`,
                    {
                        path: path.join(args.dir, `${cluster}.kubeconfig.asc`),
                        plaintext: kubeconfig,
                        recipientKey: args.recipientKey,
                        recipient: args.recipient,
                        stackDir: args.stackDir,
                    },
                    { parent: this },
                ).path,
            ]),
        );
        this.registerOutputs({ files: this.files });
    }
}
