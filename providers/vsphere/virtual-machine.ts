import * as pulumi from "@pulumi/pulumi";
import { AddressPool } from "./address-pool";
export { AddressPool } from "./address-pool";
export { PowerState } from "./vm-model";
import { VCenterConnection } from "./connection";
import { sessionInputs, SESSION_SECRETS } from "./session";
import { PowerState } from "./vm-model";
import { virtualMachineProvider } from "./vm-provider";

export interface VirtualMachineArgs {
    connection: VCenterConnection;
    /** The VM's name in the folder. */
    name: pulumi.Input<string>;
    /** Inventory path of the machine template to clone. Exclusive with `libraryItem`. */
    template?: pulumi.Input<string>;
    /** Content library item to deploy, as `/<library>/<item>`. Exclusive with `template`. */
    libraryItem?: pulumi.Input<string>;
    /** Defaults to the connection's folder. */
    folder?: pulumi.Input<string>;
    /** Defaults to the connection's resource pool. */
    resourcePool?: pulumi.Input<string>;
    /** Defaults to the connection's datastore. */
    datastore?: pulumi.Input<string>;
    /** Network of the first NIC. Defaults to the connection's network. */
    network?: pulumi.Input<string>;
    /** Defaults to 2. */
    cpus?: pulumi.Input<number>;
    /** A multiple of 4, at least 4. Defaults to 4096. */
    memoryMiB?: pulumi.Input<number>;
    /** Size of the first disk, which only grows. Defaults to the template's. */
    diskGiB?: pulumi.Input<number>;
    /** cloud-init user data, set base64-encoded as guestinfo.userdata (as CAPV does). A secret. */
    userData?: pulumi.Input<string>;
    /**
     * cloud-init metadata, set as guestinfo.metadata. Defaults to one naming the VM
     * (instance-id, local-hostname) with its network configuration: DHCP, or the static address.
     */
    metadata?: pulumi.Input<string>;
    /** Defaults to "on". */
    powerState?: pulumi.Input<PowerState>;
    /** The run's labels (job, build, ...), carried in the VM's annotation for janitors. */
    labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** When janitors may delete the VM (RFC 3339), carried in the annotation. */
    expiresAt?: pulumi.Input<string>;
    /**
     * Static addresses, as a Boskos project hands them out. Without a pool the VM takes its
     * address from DHCP.
     */
    addressPool?: pulumi.Input<AddressPool>;
    /** Which address of the pool is this VM's (0-based). Defaults to 0. */
    addressIndex?: pulumi.Input<number>;
    /** How long to wait, once powered on, for the guest to report its address. Defaults to 300. */
    addressTimeoutSeconds?: pulumi.Input<number>;
    /**
     * Where inputs come from, named in check failures, e.g. `{ template: "vmcTemplate" }` for a
     * template taken from that configuration key.
     */
    inputSources?: Record<string, string>;
}

/**
 * A vSphere VM cloned from a machine template or deployed from a content library item, through
 * govc, on VMC or a simulator alike. `read` reports it as it is, so a VM powered off or deleted by
 * hand shows in refresh.
 */
export class VirtualMachine extends pulumi.dynamic.Resource {
    /** The VM's name. */
    public readonly name!: pulumi.Output<string>;
    /** Inventory path: `<folder>/<name>`. */
    public readonly path!: pulumi.Output<string>;
    /** vSphere's instance UUID. */
    public readonly uuid!: pulumi.Output<string>;
    /** The guest's IPv4 address once powered on; empty while powered off. */
    public readonly address!: pulumi.Output<string>;
    public readonly powerState!: pulumi.Output<PowerState>;
    public readonly cpus!: pulumi.Output<number>;
    public readonly memoryMiB!: pulumi.Output<number>;
    /** The annotation as set: the run's labels and expiry. */
    public readonly annotation!: pulumi.Output<string>;
    public readonly template!: pulumi.Output<string | undefined>;
    public readonly libraryItem!: pulumi.Output<string | undefined>;
    public readonly folder!: pulumi.Output<string>;
    public readonly resourcePool!: pulumi.Output<string>;
    public readonly datastore!: pulumi.Output<string>;
    public readonly network!: pulumi.Output<string>;

    constructor(name: string, args: VirtualMachineArgs, opts?: pulumi.CustomResourceOptions) {
        const c = args.connection;
        super(
            virtualMachineProvider,
            name,
            {
                ...sessionInputs(c),
                name: args.name,
                template: args.template,
                libraryItem: args.libraryItem,
                folder: args.folder ?? c.folder,
                resourcePool: args.resourcePool ?? c.resourcePool,
                datastore: args.datastore ?? c.datastore,
                network: args.network ?? c.network,
                cpus: args.cpus ?? 2,
                memoryMiB: args.memoryMiB ?? 4096,
                diskGiB: args.diskGiB,
                userData: args.userData,
                metadata: args.metadata,
                powerState: args.powerState ?? "on",
                labels: args.labels ?? {},
                expiresAt: args.expiresAt,
                addressPool: args.addressPool,
                addressIndex: args.addressIndex ?? 0,
                addressTimeoutSeconds: args.addressTimeoutSeconds ?? 300,
                inputSources: args.inputSources ?? {},
                path: undefined,
                uuid: undefined,
                address: undefined,
                annotation: undefined,
            },
            pulumi.mergeOptions(opts, {
                additionalSecretOutputs: [...SESSION_SECRETS, "userData"],
            }),
            "vsphere",
            "VirtualMachine",
        );
    }
}
