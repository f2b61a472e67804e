import * as pulumi from "@pulumi/pulumi";
import {
    ClusterSpec,
    ControlPlaneEndpoint,
    EnvVar,
    EnvVarMode,
    Inventory,
    PortRange,
    SimulatorModel,
    validateClusterPlacement,
    validateClusterSpec,
    validateModel,
    VCenterSimulator,
} from "../../providers/vcsim";
import { Issue } from "../../providers/validation";
import { VCenterConnection } from "../../providers/vsphere/connection";
import { refuseIssues } from "../common/refuse-issues";

export interface VcsimEnvironmentArgs {
    /** The stack's folder: the simulator, its files and vcsim.env live under it. */
    stackDir: pulumi.Input<string>;
    /** The simulated vCenter. */
    model: SimulatorModel;
    /** The workload cluster the variables are for; its name names the endpoint. */
    cluster: ClusterSpec;
    /** Variables for CAPV in govmomi or supervisor mode. */
    mode: EnvVarMode;
    /** Control-plane endpoint ports, within 20000-24000. */
    endpointPorts: PortRange;
    /** Machine-wide folder of endpoint port leases. */
    leaseDir: string;
}

/** Every rule the args break, named by arg path; empty when they are usable. */
export function validateVcsimEnvironmentArgs(args: VcsimEnvironmentArgs): Issue[] {
    const under = (prefix: string, issues: Issue[]) =>
        issues.map((i) => ({ ...i, field: `${prefix}.${i.field}` }));
    return [
        ...under("model", validateModel(args.model)),
        ...under("cluster", validateClusterSpec(args.cluster)),
        ...under("cluster", validateClusterPlacement(args.cluster, args.model, args.mode)),
    ];
}

/**
 * What CAPV's vcsim controller and vcsim.sh give a developer: a simulated vCenter, a
 * control-plane endpoint for one workload cluster, and the variables (vcsim.env) that cluster
 * templates consume.
 */
export class VcsimEnvironment extends pulumi.ComponentResource {
    public readonly simulator: VCenterSimulator;
    public readonly endpoint: ControlPlaneEndpoint;
    public readonly envVar: EnvVar;
    /** The vCenter as components take it. */
    public readonly connection: VCenterConnection;
    /** Path of the 0600 vcsim.env. */
    public readonly envFile: pulumi.Output<string>;
    /** The variables in vcsim.env (a secret). */
    public readonly variables: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: VcsimEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("k8sci:supervisor:VcsimController", name, {}, opts);
        const issues = validateVcsimEnvironmentArgs(args);
        refuseIssues(this, name, issues);

        this.simulator = new VCenterSimulator(
            `${name}-simulator`,
            { stackDir: args.stackDir, model: args.model },
            { parent: this },
        );
        this.endpoint = new ControlPlaneEndpoint(
            args.cluster.name,
            {
                clusterName: args.cluster.name,
                owner: args.stackDir,
                ports: args.endpointPorts,
                leaseDir: args.leaseDir,
            },
            { parent: this },
        );
        this.envVar = new EnvVar(
            `${name}-envvar`,
            {
                stackDir: args.stackDir,
                mode: args.mode,
                cluster: args.cluster,
                endpoint: pulumi.output({ host: this.endpoint.host, port: this.endpoint.port }),
                simulator: pulumi.output({
                    server: this.simulator.server,
                    username: this.simulator.username,
                    password: this.simulator.password,
                    thumbprint: this.simulator.thumbprint,
                    inventory: this.simulator.inventory,
                }),
            },
            { parent: this },
        );
        this.connection = connectionTo(this.simulator, args.cluster);
        this.envFile = this.envVar.path;
        this.variables = pulumi.secret(this.envVar.variables);

        this.registerOutputs({
            server: this.simulator.server,
            envFile: this.envFile,
            variables: this.variables,
        });
    }
}

/** The simulator as a VCenterConnection, placed where the cluster goes. */
export function connectionTo(simulator: VCenterSimulator, cluster: ClusterSpec): VCenterConnection {
    const dc = simulator.inventory.apply(
        (inventory: Inventory) => inventory.datacenters[cluster.datacenter],
    );
    return {
        server: simulator.server,
        username: simulator.username,
        password: simulator.password,
        thumbprint: simulator.thumbprint,
        datacenter: dc.name,
        datastore: dc.datastores[cluster.datastore],
        network: dc.network,
        folder: dc.folder,
        resourcePool: dc.clusters[cluster.cluster].resourcePool,
        templates: dc.templates,
    };
}
