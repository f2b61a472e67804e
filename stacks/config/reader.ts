import * as pulumi from "@pulumi/pulumi";
import { formatIssues, Issue } from "../../providers/validation";
import { DEFAULTS, Key, PROJECT } from "./defaults";

/** Raw configuration: the string value of a key of this project, if set. */
export interface ConfigSource {
    get(key: string): string | undefined;
    getSecret(key: string): pulumi.Output<string> | undefined;
}

/** Reads keys with their defaults, collecting an issue for every value of the wrong form. */
export class Reader {
    readonly issues: Issue[] = [];

    constructor(readonly source: ConfigSource) {}

    text(key: Key): string {
        return this.source.get(key) ?? String(DEFAULTS[key]);
    }

    integer(key: Key): number {
        const raw = this.source.get(key);
        if (raw === undefined) {
            return DEFAULTS[key] as number;
        }
        if (!/^-?\d+$/.test(raw.trim())) {
            this.issues.push({
                field: key,
                message: `must be an integer; got ${JSON.stringify(raw)}`,
            });
            return NaN;
        }
        return Number(raw);
    }

    boolean(key: Key): boolean {
        const raw = this.source.get(key);
        if (raw === undefined) {
            return DEFAULTS[key] as boolean;
        }
        if (raw !== "true" && raw !== "false") {
            this.issues.push({
                field: key,
                message: `must be true or false; got ${JSON.stringify(raw)}`,
            });
            return false;
        }
        return raw === "true";
    }

    list(key: Key): string[] {
        const raw = this.source.get(key);
        if (raw === undefined) {
            return [...(DEFAULTS[key] as string[])];
        }
        try {
            const value = JSON.parse(raw);
            if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
                return value;
            }
        } catch {
            // reported below
        }
        this.issues.push({ field: key, message: `must be a list of strings; got ${raw}` });
        return [];
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
