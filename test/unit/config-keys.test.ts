import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import * as yaml from "js-yaml";
import { KEYS, KeySpec, PROJECT } from "../../stacks/config/keys";

const ROOT = path.resolve(__dirname, "../..");
const REGISTRY = Object.entries(KEYS) as [string, KeySpec][];

const show = (value: unknown) => JSON.stringify(value);

describe("the registry of configuration keys", () => {
    it("gives every key a default of its type and a description", () => {
        const wrong = REGISTRY.filter(([, spec]) => {
            if ("secret" in spec) {
                return spec.description === "";
            }
            const value: unknown = spec.default;
            const typed = {
                string: typeof value === "string",
                integer: Number.isInteger(value),
                boolean: typeof value === "boolean",
                array: Array.isArray(value) && value.every((v) => typeof v === "string"),
            }[spec.type];
            return !typed || spec.description === "";
        });
        expect(wrong.map(([key]) => key)).toEqual([]);
    });

    it("declares each key in one area only", () => {
        const dir = path.join(ROOT, "stacks/config/keys");
        const declared = fs
            .readdirSync(dir)
            .filter((f) => !["index.ts", "spec.ts"].includes(f))
            .flatMap((f) => Object.values(require(path.join(dir, f)) as Record<string, object>))
            .flatMap((specs) => Object.keys(specs));
        expect(declared.sort()).toEqual(Object.keys(KEYS).sort());
    });

    it("has one key at most fill each settings field", () => {
        const fills = REGISTRY.flatMap(([, spec]) => ("fills" in spec ? [spec.fills] : []));
        expect(fills.filter((f, i) => fills.indexOf(f) !== i)).toEqual([]);
    });
});

describe("Pulumi.yaml", () => {
    const project = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
        name: string;
        config: Record<string, Record<string, unknown>>;
    };

    it("is this project's", () => {
        expect(project.name).toBe(PROJECT);
    });

    it("declares every key with a default as the registry does, and no other", () => {
        const drift: string[] = [];
        for (const [key, spec] of REGISTRY) {
            const declared = project.config[key];
            if ("secret" in spec) {
                // Pulumi gives a declared key without a default to every stack as required.
                if (declared !== undefined) drift.push(`${key}: a secret, declared in Pulumi.yaml`);
                continue;
            }
            if (declared === undefined) {
                drift.push(`${key}: missing from Pulumi.yaml`);
                continue;
            }
            const expected: Record<string, unknown> = {
                type: spec.type,
                default: spec.default,
                description: spec.description,
                items: spec.type === "array" ? { type: "string" } : undefined,
            };
            for (const field of new Set([...Object.keys(expected), ...Object.keys(declared)])) {
                if (!isDeepStrictEqual(declared[field], expected[field])) {
                    drift.push(
                        `${key}: ${field} is ${show(declared[field])} in Pulumi.yaml, ${show(expected[field])} in the registry`,
                    );
                }
            }
        }
        for (const key of Object.keys(project.config)) {
            if (!(key in KEYS)) drift.push(`${key}: in Pulumi.yaml, not in the registry`);
        }
        expect(drift).toEqual([]);
    });
});

/** The rows of README's configuration table: the keys each names, and its default cell. */
function readmeRows(): { keys: string[]; defaults: string }[] {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.split(/^## /m).find((s) => s.startsWith("Configuration\n")) ?? "";
    return section
        .split("\n")
        .filter((line) => line.startsWith("|"))
        .slice(2) // the heading and its rule
        .map((line) => {
            const [keys, defaults] = line.split("|").slice(1, 3);
            return {
                keys: [...keys.matchAll(/`(\w+)`/g)].map((m) => m[1]),
                defaults: defaults.trim(),
            };
        });
}

/**
 * How README shows a default: a value in backticks (a list as its items), a number bare, no value
 * as `empty` or `none`.
 */
function shows(spec: KeySpec, entry: string): boolean {
    if ("secret" in spec || spec.default === "" || isDeepStrictEqual(spec.default, [])) {
        return entry === "empty" || entry === "none";
    }
    const items = Array.isArray(spec.default) ? spec.default : [spec.default];
    return entry === items.map((v) => (typeof v === "number" ? `${v}` : `\`${v}\``)).join(", ");
}

/** Words rather than a value: a list described, or a key that is required or derived. */
const isProse = (entry: string) => !/^(`[^`]*`(, `[^`]*`)*|\d+|empty|none)$/.test(entry);

describe("README's configuration table", () => {
    const rows = readmeRows();

    it("names every key of the registry once, and no other", () => {
        const named = rows.flatMap((r) => r.keys);
        expect(named.filter((k, i) => named.indexOf(k) !== i)).toEqual([]);
        expect(named.filter((k) => !(k in KEYS))).toEqual([]);
        expect(Object.keys(KEYS).filter((k) => !named.includes(k))).toEqual([]);
    });

    it("shows each key's default: one for the row, or one per key", () => {
        const drift: string[] = [];
        for (const { keys, defaults } of rows) {
            const entries = keys.length === 1 ? [defaults] : defaults.split(", ");
            if (entries.length !== 1 && entries.length !== keys.length) {
                drift.push(
                    `${keys.join(", ")}: ${entries.length} defaults for ${keys.length} keys`,
                );
                continue;
            }
            keys.forEach((key, i) => {
                const spec: KeySpec = KEYS[key as keyof typeof KEYS];
                const entry = entries.length === 1 ? entries[0] : entries[i];
                // Words stand for a list, or for an empty default that is required or derived.
                const described =
                    isProse(entry) &&
                    !("secret" in spec) &&
                    (spec.default === "" || Array.isArray(spec.default));
                if (!described && !shows(spec, entry)) {
                    const value = "secret" in spec ? "none (a secret)" : show(spec.default);
                    drift.push(`${key}: README shows ${entry}, the registry ${value}`);
                }
            });
        }
        expect(drift).toEqual([]);
    });
});
