import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { VirtualMachine } from "../../providers/vsphere/virtual-machine";
import { bootstrapUserData, FETCH_KUBECONFIG, rewriteServer } from "./cloud-init";
import { JumpHost } from "./jump-host";
import { bootstrapVmName, BootstrapContext, KIND_VERSION, SSH_USER } from "./names";
import { CiVmArgs, loginVm } from "./vm";

/** A cluster standing in for kind on the VM (the local stack's): no remote commands. */
export interface StandInCluster {
    /** Its admin kubeconfig (a secret). */
    kubeconfig: pulumi.Input<string>;
    provider: k8s.Provider;
}

export interface BootstrapClusterArgs extends CiVmArgs {
    /** The context of CAPV's scripts/e2e: the VM is `clusterapi-bootstrap-<context>`. */
    context: BootstrapContext;
    /** CI reaches the VM through it (ProxyJump). */
    jumpHost: JumpHost;
    /** kind's release. Defaults to KIND_VERSION. */
    kindVersion?: string;
    /** Stands in for kind on the VM; without it, kind's kubeconfig is fetched over SSH. */
    standIn?: StandInCluster;
}

/**
 * CAPV's bootstrap cluster: the bootstrap VM of CAPV's e2e.sh, with kind on it created by cloud-init and its
 * API server on the VM's address. Its kubeconfig is fetched through the jump host (remote
 * commands with ProxyJump) and rewritten to the VM's address, as a secret; a stand-in cluster
 * takes kind's place where the VM runs no guest (the simulator). 2 CPUs, 8 GiB by default.
 */
export class BootstrapCluster extends pulumi.ComponentResource {
    public readonly vm: VirtualMachine;
    public readonly vmName: string;
    public readonly address: pulumi.Output<string>;
    /** The bootstrap cluster's kubeconfig (a secret). */
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly provider: k8s.Provider;
    /** The bootstrapper key (PEM, a secret). */
    public readonly privateKey: pulumi.Output<string>;
    public readonly publicKey: pulumi.Output<string>;

    constructor(name: string, args: BootstrapClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("k8sci:vmc:BootstrapCluster", name, {}, opts);
        this.vmName = bootstrapVmName(args.context);
        const kindVersion = args.kindVersion ?? KIND_VERSION;
        const made = loginVm(this, name, args, {
            vmName: this.vmName,
            cpus: 2,
            memoryMiB: 8192,
            userData: (publicKey) => bootstrapUserData(publicKey, kindVersion),
        });
        this.vm = made.vm;
        this.privateKey = made.privateKey;
        this.publicKey = made.publicKey;
        this.address = this.vm.address;

        if (args.standIn) {
            this.kubeconfig = pulumi.secret(args.standIn.kubeconfig);
            this.provider = args.standIn.provider;
        } else {
            const fetch = new command.remote.Command(
                `${name}-kubeconfig`,
                {
                    connection: {
                        host: this.address,
                        user: SSH_USER,
                        privateKey: this.privateKey,
                        proxy: {
                            host: args.jumpHost.address,
                            user: args.jumpHost.user,
                            privateKey: args.jumpHost.privateKey,
                        },
                    },
                    create: FETCH_KUBECONFIG,
                    // The kubeconfig holds the cluster's admin credentials: kept out of logs.
                    logging: "none",
                    triggers: [this.vm.uuid],
                },
                { parent: this, additionalSecretOutputs: ["stdout"] },
            );
            this.kubeconfig = pulumi.secret(
                pulumi
                    .all([fetch.stdout, this.address])
                    .apply(([out, address]) => rewriteServer(out, address)),
            );
            this.provider = new k8s.Provider(
                `${name}-provider`,
                { kubeconfig: this.kubeconfig },
                { parent: this },
            );
        }
        this.registerOutputs({
            address: this.address,
            kubeconfig: this.kubeconfig,
            publicKey: this.publicKey,
        });
    }
}
