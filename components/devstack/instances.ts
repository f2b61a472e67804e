import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gcpLabels } from "../run-identity";
import { LOGIN_USER } from "./cloud-init/common";
import { objectNames, objectPrefix, Role } from "./names";
import { DevStackSettings } from "./settings";

/** Tags CAPO's create_devstack.sh's instances carry (for GCE's default http/https rules and the consoles). */
export const INSTANCE_TAGS = ["http-server", "https-server", "novnc", "openstack-apis"];

export interface InstanceArgs {
    role: Role;
    /** Each machine has its own: a stockout moves only the machine GCE could not place. */
    zone: string;
    machineType: string;
    privateIp: string;
    subnet: gcp.compute.Subnetwork;
    /** The rendered cloud-config, a secret: it holds DevStack's service passwords. */
    userData: pulumi.Input<string>;
    sshPublicKey: pulumi.Input<string>;
}

/**
 * A DevStack machine: nested virtualization, a fixed private IP, IP forwarding, cloud-init.
 * A replacement (a new zone, image or cloud-init) deletes the old machine first: two machines
 * cannot hold the same fixed private IP.
 */
export function createInstance(
    s: DevStackSettings,
    args: InstanceArgs,
    opts: pulumi.CustomResourceOptions,
): gcp.compute.Instance {
    const labels = { ...gcpLabels(s.run), "devstack-role": args.role };
    const name = objectNames(objectPrefix(s)).instance(args.role);
    return new gcp.compute.Instance(
        name,
        {
            name,
            zone: args.zone,
            machineType: args.machineType,
            minCpuPlatform: s.minCpuPlatform,
            advancedMachineFeatures: { enableNestedVirtualization: true },
            bootDisk: {
                initializeParams: {
                    image: s.bootImage,
                    size: s.bootDiskSizeGb,
                    type: s.bootDiskType,
                    labels,
                },
            },
            canIpForward: true,
            tags: INSTANCE_TAGS,
            networkInterfaces: [
                {
                    subnetwork: args.subnet.id,
                    networkIp: args.privateIp,
                    accessConfigs: [{}], // an ephemeral public address
                },
            ],
            metadata: pulumi.secret(
                pulumi.all([args.userData, args.sshPublicKey]).apply(([userData, key]) => ({
                    "user-data": userData,
                    "ssh-keys": `${LOGIN_USER}:${key}`,
                })),
            ),
            labels,
            // Machine type changes stop the instance rather than replace it.
            allowStoppingForUpdate: true,
        },
        { ...opts, deleteBeforeReplace: true },
    );
}
