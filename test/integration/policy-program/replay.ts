import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { Probe } from "./probe";

/** A recorded resource (test/support/mocks' RecordedResource) with its URN. */
interface Recorded {
    urn: string;
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    parent: string;
    protect: boolean;
}

/** The signature the SDK wraps a secret in (as test/support/mocks records it). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** A recorded value with its secrets secret again. */
function revive(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(revive);
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    const object = value as Record<string, unknown>;
    if (object[SECRET_SIG] !== undefined && "value" in object) {
        return pulumi.secret(revive(object.value));
    }
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, revive(v)]));
}

/** Registers the recorded resources, each under its recorded parent, with its protect option. */
export function replay(file: string): void {
    const recorded = JSON.parse(fs.readFileSync(file, "utf8")) as Recorded[];
    const byUrn = new Map<string, Probe>();
    for (const r of recorded) {
        const parent = byUrn.get(r.parent);
        const probe = new Probe(r.type, r.name, revive(r.inputs) as pulumi.Inputs, {
            parent,
            protect: r.protect,
        });
        byUrn.set(r.urn, probe);
    }
}
