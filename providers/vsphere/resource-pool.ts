import * as pulumi from "@pulumi/pulumi";
import { govc } from "../govc/runner";
import { VCenterConnection } from "./connection";
import { exists } from "./inventory-check";
import { ObjectProps, objectProvider } from "./inventory-object";
import { checkAbsolutePath } from "./names";
import { sessionInputs, SESSION_SECRETS } from "./session";

export interface ResourcePoolArgs {
    connection: VCenterConnection;
    /**
     * Absolute inventory path of the pool, under a cluster's root pool, e.g.
     * `/SDDC-Datacenter/host/Cluster-1/Resources/Compute-ResourcePool/prow-001`.
     */
    path: pulumi.Input<string>;
    /** Configuration keys inputs come from, named in check failures (`{ path: "vsphereFolder" }`). */
    inputSources?: Record<string, string>;
}

interface PoolInputs extends ObjectProps {
    path: string;
}

export const poolProvider = objectProvider<PoolInputs>({
    identity: ["path"],
    validate: (inputs) => checkAbsolutePath("path", inputs.path),
    references: () => [],
    async create(target, inputs) {
        await govc(target, ["pool.create", "--", inputs.path]);
        return { id: inputs.path };
    },
    exists: (target, props) => exists(target, "resourcePool", props.path),
    // vSphere moves what the pool still holds to its parent: nothing is destroyed with it.
    remove: async (target, props) => void (await govc(target, ["pool.destroy", "--", props.path])),
});

/** A resource pool (its parent must exist). */
export class ResourcePool extends pulumi.dynamic.Resource {
    public readonly path!: pulumi.Output<string>;

    constructor(name: string, args: ResourcePoolArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            poolProvider,
            name,
            {
                ...sessionInputs(args.connection),
                path: args.path,
                inputSources: args.inputSources ?? {},
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: SESSION_SECRETS }),
            "vsphere",
            "ResourcePool",
        );
    }
}
