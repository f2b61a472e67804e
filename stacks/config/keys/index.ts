/**
 * The registry of configuration keys: each key of the project is declared once, in the file of
 * its area, with its type, default, description and the settings field it fills. The defaults,
 * the typed reader, the key-to-field maps and the checks of Pulumi.yaml and README.md derive
 * from it.
 */
import { CLUSTER_SPECS } from "./cluster";
import { DEVSTACK_SPECS } from "./devstack";
import { PROW_SPECS } from "./prow";
import { SIMULATOR_SPECS } from "./simulator";
import { KeySpec, PlainSpec, SecretSpec, Settings, Values } from "./spec";
import { STACK_SPECS } from "./stack";
import { SUPERVISOR_SPECS } from "./supervisor";
import { VCENTER_SPECS } from "./vcenter";
import { VMC_SPECS } from "./vmc";

export type { KeySpec, KeyType, PlainSpec, SecretSpec, Settings, Values } from "./spec";

/** The project name, which namespaces every configuration key (`k8s-ci-envs:<key>`). */
export const PROJECT = "k8s-ci-envs";

/** Every key of the project, as Pulumi.yaml's `config` block declares those with a default. */
export const KEYS = {
    ...STACK_SPECS,
    ...SIMULATOR_SPECS,
    ...SUPERVISOR_SPECS,
    ...CLUSTER_SPECS,
    ...PROW_SPECS,
    ...VCENTER_SPECS,
    ...VMC_SPECS,
    ...DEVSTACK_SPECS,
} satisfies Record<string, KeySpec>;

type Keys = typeof KEYS;

/** A key with a default, read through Reader.get. */
export type Key = { [K in keyof Keys]: Keys[K] extends SecretSpec ? never : K }[keyof Keys];

/** A credential's key, read through Reader.secret. */
export type SecretKey = Exclude<keyof Keys, Key>;

/** The value of `key` as the program reads it, by the key's type. */
export type ValueOf<K extends Key> = Keys[K] extends { type: infer T extends keyof Values }
    ? Values[T]
    : never;

const entries = Object.entries(KEYS) as [keyof Keys, KeySpec][];
const isSecret = (spec: KeySpec): spec is SecretSpec => "secret" in spec;
const plain = entries.filter((e): e is [Key, PlainSpec] => !isSecret(e[1]));

/** Every key with a default, and that default. */
export const DEFAULTS = Object.fromEntries(plain.map(([key, spec]) => [key, spec.default])) as {
    [K in Key]: ValueOf<K>;
};

/** Configuration keys that hold credentials: set them with `pulumi config set --secret`. */
export const SECRET_KEYS = entries.filter((e) => isSecret(e[1])).map(([key]) => key as SecretKey);

/** The key that fills each field of `settings`. */
export type FieldKeys<S extends Settings> = {
    [K in Key as Keys[K] extends { fills: `${S}.${infer F}` } ? F : never]: K;
};

/** Which key fills each field of `settings`: Reader.report names the key for the field. */
export function fieldKeys<S extends Settings>(settings: S): FieldKeys<S> {
    const prefix = `${settings}.`;
    return Object.fromEntries(
        plain.flatMap(([key, { fills }]) =>
            fills?.startsWith(prefix) ? [[fills.slice(prefix.length), key]] : [],
        ),
    ) as FieldKeys<S>;
}
