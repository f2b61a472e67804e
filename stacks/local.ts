import * as pulumi from "@pulumi/pulumi";
import { LocalKubernetes } from "../components/local";
import { VcsimEnvironment } from "../components/vcsim";
import { LocalSettings } from "./config";
import { prowWithServiceCluster } from "./prow";
import { localSupervisor } from "./supervisor";
import { localVmc } from "./vmc";

/**
 * The `local` composition: the CI environments with a simulated vCenter standing in for VMC
 * and local clusters (real API servers, kwok's fake nodes) standing in for the bootstrap
 * cluster and Prow's clusters. It needs no configuration: every setting has a default (see
 * Pulumi.yaml).
 */
export async function local(settings: LocalSettings) {
    const vcsim = new VcsimEnvironment("vcsim", {
        stackDir: settings.stackDir,
        model: settings.simulator,
        cluster: settings.cluster,
        mode: settings.envVarMode,
        endpointPorts: settings.endpointPorts,
        leaseDir: settings.leaseDir,
    });
    // CAPV's bootstrap cluster: kind on the bootstrap VM in CI, a single control-plane node here;
    // `bootstrap.provider` puts objects on it.
    const bootstrap = new LocalKubernetes("bootstrap", {
        stackDir: settings.stackDir,
        nodes: { controlPlane: 1, workers: 0 },
    });
    const prow = await prowWithServiceCluster({
        prow: settings.prow,
        stackDir: settings.stackDir,
        fixtures: true,
    });
    return {
        composition: settings.composition,
        stackDir: settings.stackDir,
        vcenterServer: vcsim.simulator.server,
        vcenterUsername: vcsim.simulator.username,
        vcenterPassword: pulumi.secret(vcsim.simulator.password),
        vcenterThumbprint: vcsim.simulator.thumbprint,
        controlPlaneEndpoint: pulumi.interpolate`${vcsim.endpoint.host}:${vcsim.endpoint.port}`,
        envFile: vcsim.envFile,
        clusterVariables: vcsim.variables,
        bootstrapKubeconfig: bootstrap.kubeconfig,
        bootstrapKubeconfigFile: bootstrap.kubeconfigFile,
        ...(await localSupervisor(settings, bootstrap.provider, vcsim.simulator, vcsim.connection)),
        ...prow.outputs,
        ...localVmc(settings, vcsim.connection, bootstrap, prow.serviceProvider),
    };
}
