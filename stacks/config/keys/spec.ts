import type { DevStackSettings } from "../../../components/devstack/settings";
import type { KubevirtciJobOptions } from "../../../components/prow/jobs";
import type { CiJobArgs } from "../../../components/vmc/ci-job";
import type { SimulatorModel } from "../../../providers/vcsim/model";
import type { ClusterSpec } from "../../../providers/vcsim/variables";
import type { ProwConfig } from "../prow";

/** What a key holds, as Pulumi.yaml's `type` names it. */
export type KeyType = "string" | "integer" | "boolean" | "array";

/** The value of each type, as the program reads it. */
export interface Values {
    string: string;
    integer: number;
    boolean: boolean;
    array: string[];
}

/** The fields that keys fill, by the settings their validator checks, as it names them. */
interface Fields {
    model: keyof SimulatorModel;
    /** `mode` is the envVarMode the cluster's placement is checked in. */
    cluster: keyof ClusterSpec | "mode";
    /** validateClasses names its arguments so. */
    classes: "storageClasses" | "virtualMachineClasses";
    prow: keyof ProwConfig | `job${Capitalize<keyof KubevirtciJobOptions>}`;
    ciJob: keyof CiJobArgs;
    devstack: keyof DevStackSettings;
}

export type Settings = keyof Fields;

/** A settings field, as `<settings>.<field>`. */
export type Fill = { [S in Settings]: `${S}.${Fields[S]}` }[Settings];

/**
 * A key with a default. `fills` names the settings field it fills, so that a validator's issue
 * about that field names the key instead (see fieldKeys).
 */
export type PlainSpec = {
    [T in KeyType]: { type: T; default: Values[T]; description: string; fills?: Fill };
}[KeyType];

/** A credential, set with `pulumi config set --secret`: it has no default. */
export interface SecretSpec {
    secret: true;
    description: string;
}

export type KeySpec = PlainSpec | SecretSpec;
