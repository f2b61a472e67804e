import * as pulumi from "@pulumi/pulumi";
import { changedKeys } from "../dynamic";
import { acquireLease, heldBy, releaseLease } from "../ports/leases";
import { PortRange } from "./ports";

export interface ControlPlaneEndpointArgs {
    /** The workload cluster's name (CAPV's vcsim controller names the endpoint after it). */
    clusterName: pulumi.Input<string>;
    /** Identifies the holding stack on this machine: its folder. */
    owner: pulumi.Input<string>;
    /** Ports to choose from, within 20000-24000. */
    ports: pulumi.Input<PortRange>;
    /** Machine-wide folder of port leases. */
    leaseDir: pulumi.Input<string>;
    /** Address clusters reach the endpoint on. Defaults to 127.0.0.1. */
    host?: pulumi.Input<string>;
}

interface EndpointInputs {
    clusterName: string;
    owner: string;
    ports: PortRange;
    leaseDir: string;
    host: string;
}

interface EndpointOutputs extends EndpointInputs {
    port: number;
}

function leaseOwner(inputs: EndpointInputs): string {
    return `${inputs.owner}#${inputs.clusterName}`;
}

/** Leases a control-plane endpoint port that no other stack on the machine holds. */
export const endpointProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: EndpointOutputs, news: EndpointInputs) {
        const replaces: string[] = changedKeys<EndpointInputs>(olds, news, [
            "clusterName",
            "owner",
            "ports",
            "leaseDir",
            "host",
        ]);
        // A lease lost under us (its file removed) no longer keeps other stacks off the port.
        if (heldBy(olds.leaseDir, leaseOwner(olds))?.port !== olds.port) {
            replaces.push("port");
        }
        // The lease goes first, so the new endpoint may take the port again, or one in a new range.
        return { changes: replaces.length > 0, replaces, deleteBeforeReplace: true };
    },

    async create(inputs: EndpointInputs) {
        const port = await acquireLease(inputs.leaseDir, inputs.ports, {
            owner: leaseOwner(inputs),
            cluster: inputs.clusterName,
            host: inputs.host,
        });
        return { id: `${inputs.host}:${port}`, outs: { ...inputs, port } };
    },

    /** A lease that is gone (or now another stack's) reads as deleted. */
    async read(id: string, props: EndpointOutputs) {
        const lease = heldBy(props.leaseDir, leaseOwner(props));
        return lease?.port === props.port ? { id, props } : {};
    },

    async update(_id: string, olds: EndpointOutputs, news: EndpointInputs) {
        return { outs: { ...olds, ...news } };
    },

    async delete(_id: string, props: EndpointOutputs) {
        releaseLease(props.leaseDir, props.port, leaseOwner(props));
    },
};

/** A control-plane endpoint (host and port) for one workload cluster, as CAPV's CRD. */
export class ControlPlaneEndpoint extends pulumi.dynamic.Resource {
    public readonly host!: pulumi.Output<string>;
    public readonly port!: pulumi.Output<number>;

    constructor(name: string, args: ControlPlaneEndpointArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            endpointProvider,
            name,
            { ...args, host: args.host ?? "127.0.0.1", port: undefined },
            opts,
            "vcsim",
            "ControlPlaneEndpoint",
        );
    }
}
