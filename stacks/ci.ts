import * as pulumi from "@pulumi/pulumi";
import { CiSettings } from "./config";

/**
 * The `ci` composition: the real places. The VMC vCenter connection is configured and
 * validated here; the components that use it (jump host, bootstrap cluster, CI job), the
 * DevStack on GCP and the Prow registrations join in their own issues.
 */
export function ci(settings: CiSettings) {
    const vcenter = settings.vcenter;
    return {
        composition: settings.composition,
        stackDir: settings.stackDir,
        vcenterServer: vcenter.server,
        vcenterUsername: vcenter.username,
        vcenterPassword: pulumi.secret(vcenter.password),
        vcenterThumbprint: vcenter.thumbprint,
        vcenterInventory: {
            datacenter: vcenter.datacenter,
            datastore: vcenter.datastore,
            network: vcenter.network,
            folder: vcenter.folder,
            resourcePool: vcenter.resourcePool,
            template: vcenter.template,
        },
    };
}
