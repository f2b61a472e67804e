/**
 * The limited supervisor (seeds 001 and 003) on a cluster: the vcsim controller, vm-operator,
 * net-operator and vm-operator's dependencies. `local` puts it on the bootstrap cluster, with
 * the stack's simulator; `ci` on the cluster of `supervisorKubeconfig`, with VMC.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as k8s from "@pulumi/kubernetes";
import { NetOperator } from "../components/supervisor/net-operator";
import { VcsimControllerDeployment } from "../components/supervisor/vcsim-controller-deployment";
import { LOCAL_VM_OPERATOR_MANIFEST, VmOperator } from "../components/supervisor/vm-operator";
import {
    simulatorPlacement,
    VmOperatorDependencies,
    VmOperatorDependenciesArgs,
} from "../components/supervisor/vm-operator-dependencies";
import {
    ClusterSpec,
    DEFAULT_MODEL,
    planInventory,
    SimulatorModel,
    VCenterSimulator,
} from "../providers/vcsim";
import { VCenterConnection } from "../providers/vsphere/connection";
import { configError, LocalSettings, CiSettings } from "./config";
import { ManifestSource, SupervisorSettings } from "./config/supervisor";
import { vcenterConnection } from "./vmc";

/** The manifest's text; a URL's must match its pinned SHA-256. */
export async function loadManifest(source: ManifestSource): Promise<string> {
    if (source.kind === "local") {
        return fs.readFileSync(LOCAL_VM_OPERATOR_MANIFEST, "utf8");
    }
    if (source.kind === "file") {
        return fs.readFileSync(source.path, "utf8");
    }
    const response = await fetch(source.url);
    if (!response.ok) {
        throw configError([
            {
                field: "vmOperatorManifest",
                message: `could not be fetched from ${source.url}: HTTP ${response.status}`,
            },
        ]);
    }
    const text = await response.text();
    const digest = crypto.createHash("sha256").update(text).digest("hex");
    if (digest !== source.sha256) {
        throw configError([
            {
                field: "vmOperatorManifestSha256",
                message: `is ${source.sha256}, but the manifest at ${source.url} has ${digest}`,
            },
        ]);
    }
    return text;
}

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
    const vmOperator = new VmOperator(
        "vm-operator",
        { manifest: await loadManifest(s.vmOperatorManifest) },
        opts,
    );
    const netOperator = new NetOperator("net-operator", { image: s.netOperatorImage }, opts);
    const placement = simulatorPlacement(
        planInventory(p.model),
        p.cluster.datacenter,
        p.cluster.cluster,
    );
    const from: Pick<VmOperatorDependenciesArgs, "vCenter" | "simulator"> = s.fromConnection
        ? {
              vCenter: {
                  connection: p.connection!,
                  // Where the simulator is the vCenter, its inventory is known; VMC's takes the seed's.
                  ...(p.simulator
                      ? { cluster: placement.cluster, portGroup: placement.portGroup }
                      : {}),
                  // Images from a library the stack makes, else the simulator's own (or the seed's).
                  ...(s.library
                      ? { library: s.library }
                      : p.simulator
                        ? { contentLibrary: placement.contentLibrary, items: placement.items }
                        : {}),
              },
          }
        : {
              simulator: {
                  simulator: p.simulator!,
                  model: p.model,
                  datacenter: p.cluster.datacenter,
                  cluster: p.cluster.cluster,
              },
          };
    const dependencies = new VmOperatorDependencies(
        "vm-operator-deps",
        {
            ...from,
            namespaces: [p.cluster.namespace],
            storageClasses: s.storageClasses,
            virtualMachineClasses: s.vmClasses,
        },
        { ...opts, dependsOn: vmOperator.resources },
    );
    return {
        supervisor: {
            vcsimControllerReplicas: vcsim.availableReplicas,
            vmOperatorReplicas: vmOperator.availableReplicas,
            netOperatorReplicas: netOperator.availableReplicas,
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
