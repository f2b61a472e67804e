/** Helpers shared by this project's Node dynamic providers. */
import * as pulumi from "@pulumi/pulumi";

/** Whether any part of `inputs` is still unknown (during preview), so a diff can only say "changes". */
export function hasUnknowns(inputs: unknown): boolean {
    return JSON.stringify(inputs ?? null).includes(pulumi.runtime.unknownValue);
}

/** Names of the `keys` whose values differ between `olds` and `news`. */
export function changedKeys<T extends object>(
    olds: T,
    news: T,
    keys: readonly (keyof T)[],
): (keyof T)[] {
    return keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
}
