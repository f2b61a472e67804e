/**
 * The limited supervisor (CAPV's test/infrastructure/vm-operator and vcsim) on a cluster: the vcsim controller, vm-operator,
 * net-operator and vm-operator's dependencies. `local` puts it on the bootstrap cluster, with
 * the stack's simulator; `ci` on the cluster of `supervisorKubeconfig`, with VMC.
 */
import * as k8s from "@pulumi/kubernetes";
import { LimitedSupervisor } from "../components/supervisor/limited-supervisor";
import { VcsimControllerDeployment } from "../components/vcsim";
import { ClusterSpec, DEFAULT_MODEL, SimulatorModel, VCenterSimulator } from "../providers/vcsim";
import { VCenterConnection } from "../providers/vsphere/connection";
import { LocalSettings, CiSettings } from "./config";
import { SupervisorSettings } from "./config/supervisor";
import { vcenterConnection } from "./vmc";

interface Placement {
    settings: SupervisorSettings;
    provider: k8s.Provider;
    cluster: ClusterSpec;
    /** The simulator's model (local), or the one the vcsim resources ask for (ci). */
    model: SimulatorModel;
    simulator?: VCenterSimulator;
    connection?: VCenterConnection;
    /** A real vcsim controller runs: wait for its EnvVar's variables. */
    waitForVariables: boolean;
}

/** CAPV's vcsim controller (its manifests) and the limited supervisor, on one cluster. */
async function deploy(p: Placement) {
    const s = p.settings;
    const opts = { providers: { kubernetes: p.provider } };
    const vcsim = new VcsimControllerDeployment(
        "vcsim-controller",
        {
            image: s.vcsimImage,
            args: s.vcsimArgs,
            resources: s.vcsimResources
                ? { simulator: "vcsim", model: p.model, cluster: p.cluster }
                : undefined,
            waitForVariables: p.waitForVariables && s.vcsimResources,
        },
        opts,
    );
    const supervisor = await LimitedSupervisor.create(
        "supervisor",
        {
            settings: s,
            cluster: p.cluster,
            model: p.model,
            simulator: p.simulator,
            connection: p.connection,
        },
        opts,
    );
    const dependencies = supervisor.dependencies;
    return {
        supervisor: {
            vcsimControllerReplicas: vcsim.availableReplicas,
            vmOperatorReplicas: supervisor.vmOperator.availableReplicas,
            netOperatorReplicas: supervisor.netOperator.availableReplicas,
            vcsimCrds: vcsim.crdNames,
            namespace: p.cluster.namespace,
            storageClasses: dependencies.storageClassNames,
            vmClasses: dependencies.vmClassNames,
            images: dependencies.imageNames,
            providerConfig: dependencies.config,
        },
        ...(vcsim.variables ? { supervisorVariables: vcsim.variables } : {}),
    };
}

/** local: onto the bootstrap cluster, from the stack's simulator (or it as a connection). */
export function localSupervisor(
    settings: LocalSettings,
    provider: k8s.Provider,
    simulator: VCenterSimulator,
    connection: VCenterConnection,
) {
    return settings.supervisor
        ? deploy({
              settings: settings.supervisor,
              provider,
              cluster: settings.cluster,
              model: settings.simulator,
              simulator,
              connection,
              waitForVariables: false,
          })
        : Promise.resolve({});
}

/** ci: onto the cluster of `supervisorKubeconfig`, from VMC's connection. */
export function ciSupervisor(settings: CiSettings) {
    const s = settings.supervisor;
    if (!s) {
        return Promise.resolve({});
    }
    // The configuration refuses a ci supervisor without vmc in ciEnvironments.
    const vcenter = settings.vcenter!;
    const provider = new k8s.Provider("supervisor-cluster", { kubeconfig: s.kubeconfig! });
    return deploy({
        settings: s,
        provider,
        cluster: settings.cluster,
        model: DEFAULT_MODEL,
        connection: vcenterConnection(vcenter),
        waitForVariables: true,
    });
}
