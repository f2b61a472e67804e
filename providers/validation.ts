/** Input validation shared by the providers, the components and the stack configuration. */

/** A rule an input broke: `field` names the input, `message` the rule and what was given. */
export interface Issue {
    field: string;
    message: string;
}

/** Checks that `value` is an integer within [min, max]. */
export function checkInteger(field: string, value: unknown, min: number, max: number): Issue[] {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        return [{ field, message: `must be an integer from ${min} to ${max}; got ${show(value)}` }];
    }
    return [];
}

/** Checks that `value` is one of `allowed`. */
export function checkOneOf(field: string, value: unknown, allowed: readonly string[]): Issue[] {
    if (typeof value !== "string" || !allowed.includes(value)) {
        return [{ field, message: `must be one of ${allowed.join(", ")}; got ${show(value)}` }];
    }
    return [];
}

/** Checks that `value` is a string matching `pattern`, described to the user as `rule`. */
export function checkPattern(
    field: string,
    value: unknown,
    pattern: RegExp,
    rule: string,
): Issue[] {
    if (typeof value !== "string" || !pattern.test(value)) {
        return [{ field, message: `must be ${rule}; got ${show(value)}` }];
    }
    return [];
}

/** A Kubernetes object name usable as a DNS label (RFC 1123), as cluster and namespace names are. */
export const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_LABEL_RULE = "a DNS label (lowercase letters, digits and '-', at most 63)";

export function checkDnsLabel(field: string, value: unknown): Issue[] {
    return checkPattern(field, value, DNS_LABEL, DNS_LABEL_RULE);
}

/** A container image reference, as a pod's `image` takes it: non-empty, no whitespace. */
export function checkImage(field: string, value: unknown): Issue[] {
    return checkPattern(field, value, /^\S+$/, "a container image reference");
}

/** Renders issues as one line each, naming each field through `name`. */
export function formatIssues(issues: Issue[], name: (field: string) => string): string {
    return issues.map((i) => `${name(i.field)} ${i.message}`).join("\n");
}

function show(value: unknown): string {
    return value === undefined ? "nothing" : JSON.stringify(value);
}
