import * as pulumi from "@pulumi/pulumi";
import { formatIssues, Issue } from "../../providers/validation";
import { Key, KEYS, KeyType, PlainSpec, PROJECT, SecretKey, ValueOf, Values } from "./keys";

/** Raw configuration: the string value of a key of this project, if set. */
export interface ConfigSource {
    get(key: string): string | undefined;
    getSecret(key: string): pulumi.Output<string> | undefined;
}

/** Reads keys with their defaults, collecting an issue for every value of the wrong form. */
export class Reader {
    readonly issues: Issue[] = [];

    constructor(readonly source: ConfigSource) {}

    /** The value of `key`, or its default when it is not set; of the type the registry gives it. */
    get<K extends Key>(key: K): ValueOf<K> {
        const spec: PlainSpec = KEYS[key];
        const raw = this.source.get(key);
        const value = raw === undefined ? copy(spec.default) : this.parse(key, spec.type, raw);
        return value as ValueOf<K>;
    }

    /** The credential `key`, if set. */
    secret(key: SecretKey): pulumi.Output<string> | undefined {
        return this.source.getSecret(key);
    }

    private parse(key: Key, type: KeyType, raw: string): Values[KeyType] {
        switch (type) {
            case "string":
                return raw;
            case "integer":
                return /^-?\d+$/.test(raw.trim())
                    ? Number(raw)
                    : this.invalid(key, `must be an integer; got ${JSON.stringify(raw)}`, NaN);
            case "boolean":
                return raw === "true" || raw === "false"
                    ? raw === "true"
                    : this.invalid(key, `must be true or false; got ${JSON.stringify(raw)}`, false);
            case "array":
                return (
                    parseList(raw) ?? this.invalid(key, `must be a list of strings; got ${raw}`, [])
                );
        }
    }

    /** Records a malformed value once, however many readers ask for the key. */
    private invalid<T>(key: Key, message: string, fallback: T): T {
        if (!this.issues.some((i) => i.field === key && i.message === message)) {
            this.issues.push({ field: key, message });
        }
        return fallback;
    }

    /** Records `issues`, whose fields name the settings that `keys` maps to configuration keys. */
    report(issues: Issue[], keys: Record<string, string> = {}): void {
        this.issues.push(
            ...issues.map((i) => ({ ...i, field: i.field.replace(/^\w+/, (f) => keys[f] ?? f) })),
        );
    }

    /** Throws one error that names every offending key, as `k8s-ci-envs:<key> <rule>`. */
    failIfAny(): void {
        if (this.issues.length > 0) {
            throw configError(this.issues);
        }
    }
}

/** The error for configuration issues: one line per issue, each naming its key. */
export function configError(issues: Issue[]): pulumi.RunError {
    const lines = formatIssues(issues, (field) => `${PROJECT}:${field}`);
    return new pulumi.RunError(`invalid configuration:\n${lines}`);
}

/** A default's own copy: a caller may change the list it is given. */
function copy(value: Values[KeyType]): Values[KeyType] {
    return Array.isArray(value) ? [...value] : value;
}

/** A JSON list of strings, or undefined. */
function parseList(raw: string): string[] | undefined {
    try {
        const value: unknown = JSON.parse(raw);
        if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
            return value;
        }
    } catch {
        // not JSON
    }
    return undefined;
}
