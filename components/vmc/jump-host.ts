import * as pulumi from "@pulumi/pulumi";
import { VirtualMachine } from "../../providers/vsphere/virtual-machine";
import { jumpHostUserData } from "./cloud-init";
import { SSH_USER } from "./names";
import { CiVmArgs, loginVm } from "./vm";

export interface JumpHostArgs extends CiVmArgs {
    /** The VM's name in the folder. */
    vmName: pulumi.Input<string>;
}

/**
 * The jump host CI reaches the bootstrap VM through (the ProxyCommand of CAPV's scripts/e2e): a VM whose login
 * takes an SSH key, given or generated (a secret); its address out. 1 CPU, 2 GiB by default.
 */
export class JumpHost extends pulumi.ComponentResource {
    public readonly vm: VirtualMachine;
    public readonly address: pulumi.Output<string>;
    public readonly user: string = SSH_USER;
    /** PEM (a secret). */
    public readonly privateKey: pulumi.Output<string>;
    public readonly publicKey: pulumi.Output<string>;

    constructor(name: string, args: JumpHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("k8sci:vmc:JumpHost", name, {}, opts);
        const made = loginVm(this, name, args, {
            vmName: args.vmName,
            cpus: 1,
            memoryMiB: 2048,
            userData: jumpHostUserData,
        });
        this.vm = made.vm;
        this.privateKey = made.privateKey;
        this.publicKey = made.publicKey;
        this.address = this.vm.address;
        this.registerOutputs({
            address: this.address,
            publicKey: this.publicKey,
            privateKey: this.privateKey,
        });
    }
}
