import * as pulumi from "@pulumi/pulumi";
import {
    ClusterSpec,
    planInventory,
    SimulatorModel,
    VCenterSimulator,
} from "../../providers/vcsim";
import { formatIssues } from "../../providers/validation";
import { VCenterConnection } from "../../providers/vsphere/connection";
import { StorageClassSpec, VmClassSpec } from "./dependencies-spec";
import { loadManifest, ManifestSource } from "./manifest";
import { NetOperator } from "./net-operator";
import { VmOperator } from "./vm-operator";
import {
    LibrarySpec,
    simulatorPlacement,
    VmOperatorDependencies,
    VmOperatorDependenciesArgs,
} from "./vm-operator-dependencies";

/** What is deployed, and where vm-operator's dependencies come from. */
export interface LimitedSupervisorSettings {
    vmOperatorManifest: ManifestSource;
    netOperatorImage: string;
    /** Dependencies from `connection` (else from `simulator`). */
    fromConnection: boolean;
    storageClasses: StorageClassSpec[];
    vmClasses: VmClassSpec[];
    /** A content library the stack makes in vCenter, through the connection. */
    library?: LibrarySpec;
}

export interface LimitedSupervisorArgs {
    settings: LimitedSupervisorSettings;
    /** The workload cluster: its namespace is made and its placement is the dependencies'. */
    cluster: ClusterSpec;
    /** The simulator's model (local), or VMC's as vcsim names it (ci). */
    model: SimulatorModel;
    /** The stack's simulator, where it is the vCenter (local). */
    simulator?: VCenterSimulator;
    /** The vCenter as components reach it (VMC in ci, the simulator in local). */
    connection?: VCenterConnection;
}

/**
 * CAPV's limited supervisor (test/infrastructure/vm-operator and net-operator): vm-operator
 * from its manifest with CAPV's patches, net-operator, and vm-operator's dependencies (what
 * the vcsim controller's VMOperatorDependencies reconciles upstream). The cluster it goes on
 * comes in as the `kubernetes` provider of `opts.providers`.
 */
export class LimitedSupervisor extends pulumi.ComponentResource {
    public readonly vmOperator: VmOperator;
    public readonly netOperator: NetOperator;
    public readonly dependencies: VmOperatorDependencies;

    /** Loads vm-operator's manifest (a URL's checked against its pin), then the component. */
    static async create(
        name: string,
        args: LimitedSupervisorArgs,
        opts?: pulumi.ComponentResourceOptions,
    ): Promise<LimitedSupervisor> {
        const manifest = await loadManifest(args.settings.vmOperatorManifest);
        if ("issues" in manifest) {
            throw new pulumi.RunError(formatIssues(manifest.issues, (f) => `${name}: ${f}`));
        }
        return new LimitedSupervisor(name, args, manifest.text, opts);
    }

    private constructor(
        name: string,
        args: LimitedSupervisorArgs,
        manifest: string,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("k8sci:supervisor:LimitedSupervisor", name, {}, opts);
        const s = args.settings;
        const parent = { parent: this };
        // Children keep the names they had at the stack's top level.
        this.vmOperator = new VmOperator("vm-operator", { manifest }, parent);
        this.netOperator = new NetOperator("net-operator", { image: s.netOperatorImage }, parent);
        this.dependencies = new VmOperatorDependencies(
            "vm-operator-deps",
            {
                ...dependencySource(args),
                namespaces: [args.cluster.namespace],
                storageClasses: s.storageClasses,
                virtualMachineClasses: s.vmClasses,
            },
            { ...parent, dependsOn: this.vmOperator.resources },
        );
        this.registerOutputs({});
    }
}

/** Where vm-operator's dependencies come from: the connection, or the simulator. */
function dependencySource(
    args: LimitedSupervisorArgs,
): Pick<VmOperatorDependenciesArgs, "vCenter" | "simulator"> {
    const s = args.settings;
    if (!s.fromConnection) {
        return {
            simulator: {
                simulator: args.simulator!,
                model: args.model,
                datacenter: args.cluster.datacenter,
                cluster: args.cluster.cluster,
            },
        };
    }
    const placement = simulatorPlacement(
        planInventory(args.model),
        args.cluster.datacenter,
        args.cluster.cluster,
    );
    return {
        vCenter: {
            connection: args.connection!,
            // Where the simulator is the vCenter, its inventory is known; VMC's takes
            // CAPV's VMOperatorDependencies defaults.
            ...(args.simulator
                ? { cluster: placement.cluster, portGroup: placement.portGroup }
                : {}),
            // Images from a library the stack makes, else the simulator's own (or CAPV's defaults).
            ...(s.library
                ? { library: s.library }
                : args.simulator
                  ? { contentLibrary: placement.contentLibrary, items: placement.items }
                  : {}),
        },
    };
}
