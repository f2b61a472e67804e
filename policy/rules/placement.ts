import { ResourceValidationPolicy } from "@pulumi/policy";
import { isCi, setting } from "./context";
import { VSPHERE_VM } from "./labels";

/** In ci, the run's folder and pool are vsphereFolder and vsphereResourcePool. */
export const vmPlacement: ResourceValidationPolicy = {
    name: "vm-folder-and-pool",
    description:
        "VMs live in the run's folder and resource pool (vsphereFolder, vsphereResourcePool).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== VSPHERE_VM) {
            return;
        }
        const where = { folder: "vsphereFolder", resourcePool: "vsphereResourcePool" } as const;
        for (const [input, key] of Object.entries(where)) {
            const got = String(args.props[input] ?? "");
            const want = isCi() ? setting<string>(key) : undefined;
            if (got === "" || (want !== undefined && got !== want)) {
                report(
                    `the VM's ${input} is ${JSON.stringify(got)}, not the run's ${JSON.stringify(want ?? "(any)")} (${key})`,
                );
            }
        }
    },
};
