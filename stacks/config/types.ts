import * as pulumi from "@pulumi/pulumi";
import { DevStackSettings } from "../../components/devstack/settings";
import { RunIdentity } from "../../components/run-identity";
import { ProwConfig } from "./prow";
import { VmcSettings } from "./vmc";
import { SupervisorSettings } from "./supervisor";
import { SimulatorModel } from "../../providers/vcsim/model";
import { PortRange } from "../../providers/vcsim/ports";
import { ClusterSpec, EnvVarMode } from "../../providers/vcsim/variables";

export type Composition = "local" | "ci";
export const COMPOSITIONS: readonly Composition[] = ["local", "ci"];

/** Settings every composition shares. */
export interface CommonSettings {
    stack: string;
    /** The stack's folder: everything the stack writes to disk lives under it. */
    stackDir: string;
    cluster: ClusterSpec;
    run: RunIdentity;
    /** CAPV's CI on VMC: always in local, when ciEnvironments lists vmc in ci. */
    vmc?: VmcSettings;
    /** The limited supervisor, where it is deployed. */
    supervisor?: SupervisorSettings;
}

/** The `local` composition: a simulated vCenter standing in for VMC. */
export interface LocalSettings extends CommonSettings {
    composition: "local";
    simulator: SimulatorModel;
    envVarMode: EnvVarMode;
    endpointPorts: PortRange;
    /** Machine-wide folder of control-plane endpoint port leases. */
    leaseDir: string;
    /** Prow's build clusters (fixture clusters unless kubeconfigs are configured), rendered. */
    prow: ProwConfig;
}

/** The vCenter the `ci` composition targets (VMC), as DESIGN's VCenterConnection. */
export interface VCenterSettings {
    server: string;
    username: string;
    password: pulumi.Output<string>;
    thumbprint: string;
    datacenter: string;
    datastore: string;
    network: string;
    folder: string;
    resourcePool: string;
    template: string;
}

/** The environment families a `ci` stack can build. */
export type CiEnvironment = "vmc" | "devstack" | "prow";
export const CI_ENVIRONMENTS: readonly CiEnvironment[] = ["vmc", "devstack", "prow"];

/** The `ci` composition: the real places, each family only when `ciEnvironments` lists it. */
export interface CiSettings extends CommonSettings {
    composition: "ci";
    environments: CiEnvironment[];
    vcenter?: VCenterSettings;
    devstack?: DevStackSettings;
    prow?: ProwConfig;
}

export type StackSettings = LocalSettings | CiSettings;
