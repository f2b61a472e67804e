/**
 * The local stack's simulator alone: the VCenterSimulator, its cluster's ControlPlaneEndpoint
 * lease and vcsim.env, in a stack folder and lease folder the test chooses.
 */
import * as pulumi from "@pulumi/pulumi";
import { VcsimEnvironment } from "../../../components/vcsim";
import { DEFAULT_MODEL } from "../../../providers/vcsim";

const config = new pulumi.Config();
const vcsim = new VcsimEnvironment("vcsim", {
    stackDir: config.require("stackDir"),
    leaseDir: config.require("leaseDir"),
    model: DEFAULT_MODEL,
    cluster: {
        name: "cluster1",
        namespace: "default",
        kubernetesVersion: "v1.28.0",
        controlPlaneMachines: 1,
        workerMachines: 1,
        datacenter: 0,
        cluster: 0,
        datastore: 0,
        powerOffMode: "trySoft",
    },
    mode: "govmomi",
    endpointPorts: { min: 20000, max: 24000 },
});

export const envFile = vcsim.envFile;
export const server = vcsim.simulator.server;
