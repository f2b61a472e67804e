/**
 * A resource of any type, registered without its provider (the gcp plugin is not installed
 * here) as a component-kind resource that carries its inputs: analyzers see its type, inputs and
 * options just the same, and a preview creates nothing.
 */
import * as pulumi from "@pulumi/pulumi";

export class Probe extends pulumi.Resource {
    constructor(
        type: string,
        name: string,
        props: pulumi.Inputs,
        opts: pulumi.ResourceOptions = {},
    ) {
        super(type, name, false, props, opts);
        // Stack rules read outputs, which a provider would report; here they are the inputs.
        pulumi.runtime.registerResourceOutputs(this, props);
    }
}
