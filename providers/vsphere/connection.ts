import * as pulumi from "@pulumi/pulumi";

/**
 * How components reach a vCenter, whether VMC or a simulator: they never know which.
 * Inventory values are paths as govc and CAPV take them.
 */
export interface VCenterConnection {
    /** host or host:port */
    server: pulumi.Input<string>;
    username: pulumi.Input<string>;
    /** A secret. */
    password: pulumi.Input<string>;
    /** SHA-256 colon-hex thumbprint of the vCenter's certificate. */
    thumbprint: pulumi.Input<string>;
    datacenter: pulumi.Input<string>;
    datastore: pulumi.Input<string>;
    network: pulumi.Input<string>;
    folder: pulumi.Input<string>;
    resourcePool: pulumi.Input<string>;
    /** Machine templates, by inventory path. */
    templates: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The vCenter is a simulator whose VMs run no guest: the vSphere provider then sets each
     * powered-on VM's guest address itself (from its static address, else a simulated DHCP
     * lease), so addresses read back as a real guest would report them. Defaults to false.
     */
    simulatedGuestAddresses?: pulumi.Input<boolean>;
}
