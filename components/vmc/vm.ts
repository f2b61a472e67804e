import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { SshKeyPair } from "../../providers/credentials/generated";
import { openSshPublicKey } from "../../providers/credentials/sshkey";
import { AddressPool } from "../../providers/vsphere/address-pool";
import { VCenterConnection } from "../../providers/vsphere/connection";
import { checkInteger, Issue } from "../../providers/validation";
import { VirtualMachine } from "../../providers/vsphere/virtual-machine";
import { refuseIssues } from "../common/refuse-issues";

/** Where and how a CI VM is made: the same for VMC and a simulator. */
export interface CiVmArgs {
    connection: VCenterConnection;
    /** Inventory path of the machine template to clone. */
    template: pulumi.Input<string>;
    /** Static addresses (a Boskos project's); without, DHCP. */
    addressPool?: pulumi.Input<AddressPool>;
    /** Which address of the pool is this VM's. Defaults to 0. */
    addressIndex?: number;
    /** Defaults to 2. */
    cpus?: number;
    /** Defaults to 4096. */
    memoryMiB?: number;
    /** The run's labels, in the VM's annotation for janitors. */
    labels?: Record<string, string>;
    /** When janitors may delete the VM (RFC 3339). */
    expiresAt?: pulumi.Input<string>;
    /**
     * An SSH private key (PEM, a secret) CI logs in with. Defaults to a generated RSA-4096 key,
     * kept in state as a secret.
     */
    privateKey?: pulumi.Input<string>;
    /** Where inputs come from, named when the vCenter refuses them (`{ template: "vsphereTemplate" }`). */
    inputSources?: Record<string, string>;
}

/** Every rule of the VM's sizes the args break (vSphere takes memory in multiples of 4 MiB). */
export function validateCiVmArgs(
    args: Pick<CiVmArgs, "cpus" | "memoryMiB" | "addressIndex">,
): Issue[] {
    return [
        ...checkInteger("cpus", args.cpus ?? 2, 1, 128),
        ...checkInteger("memoryMiB", args.memoryMiB ?? 4096, 512, 6_291_456),
        ...((args.memoryMiB ?? 4096) % 4 === 0
            ? []
            : [{ field: "memoryMiB", message: `must be a multiple of 4; got ${args.memoryMiB}` }]),
        ...checkInteger("addressIndex", args.addressIndex ?? 0, 0, 65535),
    ];
}

/** The OpenSSH public line of a PEM private key. */
export function publicKeyOf(privateKeyPem: string, comment: string): string {
    return openSshPublicKey(crypto.createPublicKey(privateKeyPem), comment);
}

/** The VM's login key pair: the given private key's, or a generated one (`${name}-key`). */
export function loginKey(
    name: string,
    given: pulumi.Input<string> | undefined,
    parent: pulumi.Resource,
): { privateKey: pulumi.Output<string>; publicKey: pulumi.Output<string> } {
    if (given !== undefined) {
        const privateKey = pulumi.secret(given);
        return { privateKey, publicKey: privateKey.apply((k) => publicKeyOf(k, name)) };
    }
    const pair = new SshKeyPair(`${name}-key`, { comment: name }, { parent });
    return { privateKey: pulumi.secret(pair.privateKeyPem), publicKey: pair.publicKey };
}

/** What sets one CI VM apart: its name, size and cloud-init (from its login's public key). */
export interface LoginVmSpec {
    vmName: pulumi.Input<string>;
    cpus: number;
    memoryMiB: number;
    userData: (publicKey: string) => string;
}

/**
 * A component's VM that CI logs in to: the args checked (refused naming `name`), the login key
 * (`${name}-key` when generated) and the VM (`${name}-vm`), children of `parent`.
 */
export function loginVm(parent: pulumi.Resource, name: string, args: CiVmArgs, spec: LoginVmSpec) {
    const issues = validateCiVmArgs(args);
    refuseIssues(parent, name, issues);
    const key = loginKey(name, args.privateKey, parent);
    const vm = new VirtualMachine(
        `${name}-vm`,
        {
            connection: args.connection,
            name: spec.vmName,
            template: args.template,
            cpus: args.cpus ?? spec.cpus,
            memoryMiB: args.memoryMiB ?? spec.memoryMiB,
            userData: pulumi.secret(key.publicKey.apply(spec.userData)),
            labels: args.labels,
            expiresAt: args.expiresAt,
            addressPool: args.addressPool,
            addressIndex: args.addressIndex,
            inputSources: args.inputSources,
        },
        { parent },
    );
    return { vm, ...key };
}
