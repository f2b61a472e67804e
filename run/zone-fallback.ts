/**
 * `up` for a run, with the DevStack's zone fallback: when GCE has no capacity for a machine, that
 * machine alone moves to the next zone of gcpZones (the engine names it in its error).
 */
import type { Stack } from "@pulumi/pulumi/automation";
import { objectPrefix, ROLES } from "../components/devstack/names";
import { ZONE_FIELDS } from "../components/devstack/settings";
import {
    EngineError,
    Placement,
    placementOf,
    stockedOutRoles,
    upWithZoneFallback,
} from "../components/devstack/zone-fallback";
import { DEVSTACK_KEYS, readSettings } from "../stacks/config";
import { POLICY_PACK } from "./policy";
import { configSource, projectKey } from "./run-config";
import { ROOT } from "./run-stack";
import { Steps, UNRECORDED } from "./recorder";

/** Plain text for log files and JUnit: the engine's colour escapes have no place there. */
export const COLOR = "never";

/** The part of an Automation API stack the run flow uses (a fake in tests). */
export type RunStack = Pick<Stack, "name" | "getAllConfig" | "setConfig" | "up">;

/**
 * `up` for the run, each attempt a step; `signal` cancels the running attempt (the CLI gets
 * SIGINT and stops the update cleanly). Returns where the machines ended, if the stack has a
 * DevStack.
 */
export async function upWithFallback(
    stack: RunStack,
    log: (line: string) => void,
    steps: Steps = UNRECORDED,
    signal?: AbortSignal,
): Promise<Placement | undefined> {
    const settings = readSettings(configSource(await stack.getAllConfig()), stack.name, ROOT);
    const devstack = settings.composition === "ci" ? settings.devstack : undefined;
    if (devstack === undefined) {
        await steps.run("pulumi up", () =>
            stack.up({ onOutput: log, color: COLOR, signal, policyPacks: [POLICY_PACK] }),
        );
        return undefined;
    }
    let errors: EngineError[] = [];
    const { placement } = await upWithZoneFallback(
        devstack.zones,
        placementOf(devstack),
        async (p) => {
            for (const role of ROLES) {
                await stack.setConfig(projectKey(DEVSTACK_KEYS[ZONE_FIELDS[role]]), {
                    value: p[role],
                });
            }
            errors = [];
            const zones = ROLES.map((role) => `${role} ${p[role]}`).join(", ");
            return steps.run(`pulumi up (${zones})`, () =>
                stack.up({
                    onOutput: log,
                    color: COLOR,
                    policyPacks: [POLICY_PACK],
                    signal,
                    onEvent: (e) => {
                        if (e.diagnosticEvent?.severity === "error") {
                            errors.push(e.diagnosticEvent);
                        }
                    },
                }),
            );
        },
        () => stockedOutRoles(errors, objectPrefix(devstack)),
        (role, from, to) => {
            const line = `zone ${from} has no capacity for the DevStack's ${role}: trying ${to}`;
            log(`${line}\n`);
            steps.retried(line);
        },
    );
    return placement;
}
