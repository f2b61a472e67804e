import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { DevStack } from "../components/devstack/devstack";
import { DevStackSettings } from "../components/devstack/settings";
import { CiSettings, VCenterSettings } from "./config";
import { prow } from "./prow";
import { ciSupervisor } from "./supervisor";
import { ciVmc } from "./vmc";

/**
 * The `ci` composition: the real places, each family when `ciEnvironments` lists it. CAPV's CI
 * runs on the configured vCenter (stacks/vmc.ts); the DevStack on GCP and the Prow
 * registrations are built whole. The Prow registration is long-lived: only the `ci` stack
 * itself builds it, never a CI run's stack.
 */
export async function ci(settings: CiSettings) {
    return {
        composition: settings.composition,
        stackDir: settings.stackDir,
        ...(settings.vcenter ? vmcOutputs(settings.vcenter) : {}),
        ...ciVmc(settings),
        ...(settings.devstack ? devstack(settings.devstack, settings.stackDir) : {}),
        ...(await ciSupervisor(settings)),
        ...(settings.prow
            ? await prow({ prow: settings.prow, stackDir: settings.stackDir, fixtures: false })
            : {}),
    };
}

function vmcOutputs(vcenter: VCenterSettings) {
    return {
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

/** The DevStack and the variables CAPO's e2e tests take from it (e2e_conf.yaml). */
function devstack(settings: DevStackSettings, stackDir: string) {
    const provider = new gcp.Provider("gcp", {
        project: settings.project,
        region: settings.region,
        zone: settings.zone,
    });
    const cloud = new DevStack(
        "devstack",
        { settings, stackDir },
        { providers: { gcp: provider } },
    );
    return {
        devstackControllerPublicIp: cloud.controllerPublicIp,
        devstackZone: settings.zone,
        devstackWorkerZone: settings.workerZone,
        openstackCloud: settings.name,
        openstackCloudYamlFile: cloud.cloudsYamlFile,
        cloudsYaml: cloud.cloudsYaml,
        openstackFailureDomain: cloud.failureDomain,
        openstackFailureDomainAlt: cloud.failureDomainAlt,
        devstackReady: cloud.ready,
    };
}
