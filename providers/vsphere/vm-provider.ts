import * as pulumi from "@pulumi/pulumi";

/** Drives VMs through govc (implementation in progress). */
export const virtualMachineProvider: pulumi.dynamic.ResourceProvider = {
    async create() {
        throw new Error("vsphere:VirtualMachine is not implemented yet");
    },
};
