/**
 * Which inputs are secrets. @pulumi/policy (1.21.0) hands validations the inputs with secrets
 * unwrapped, and keeps them only for remediations (deserializeProperties(…, true)). This keeps,
 * beside each unwrapped copy, one with its secrets as @pulumi/policy's Secret, so a rule can
 * tell a secret from plaintext.
 */
const deserialize = require("@pulumi/policy/deserialize");
const { Secret } = require("@pulumi/policy/policy");
const { getSpecialProxyTarget } = require("@pulumi/policy/proxy");

const withSecrets = new WeakMap<object, unknown>();
const unwrapped = deserialize.deserializeProperties;
deserialize.deserializeProperties = (struct: unknown, proxySecrets: boolean) => {
    const props = unwrapped(struct, proxySecrets);
    if (!proxySecrets && props instanceof Object) {
        withSecrets.set(props, unwrapped(struct, true)[getSpecialProxyTarget]);
    }
    return props;
};

/** The inputs of a validation's `args.props`, secrets kept as Secret. */
export function rawInputs(props: Record<string, unknown>): unknown {
    const target = (props as Record<string, unknown>)[getSpecialProxyTarget] as object;
    return withSecrets.get(target) ?? target;
}

export function isSecret(value: unknown): boolean {
    return value instanceof Secret;
}
