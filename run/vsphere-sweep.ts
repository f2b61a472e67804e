/**
 * What CAPV's janitor removes under a run's vSphere folder (hack/tools/pkg/janitor): every VM,
 * powered off and destroyed, but templates and VMs whose annotation keeps them
 * (`keep-at-least-until=<time>` in the future); then the child resource pools and folders that
 * hold nothing else, deepest first. Through the shared govc runner; every govc flag list ends
 * with `--`, so that a path is never read as a flag.
 */
import { govc, govcJson, GovcTarget } from "../providers/govc/runner";

/** One thing the sweep does (or, in a dry run, would do). */
export interface SweepAction {
    what: string;
    govc: string[][];
}

/** A VM as `govc vm.info -json` describes it, the parts the sweep reads. */
interface VmInfo {
    config?: { template?: boolean; annotation?: string };
    Config?: { Template?: boolean; Annotation?: string };
}

/** The time until which an annotation keeps its VM, if it says so. */
export function keptUntil(annotation: string | undefined): Date | undefined {
    const match = /keep-at-least-until=(\S+)/.exec(annotation ?? "");
    const until = match ? new Date(match[1]) : undefined;
    return until && !Number.isNaN(until.getTime()) ? until : undefined;
}

/** Deepest paths first, so that a folder is emptied before its parent. */
export function deepestFirst(paths: string[]): string[] {
    const depth = (p: string) => p.split("/").length;
    return [...paths].sort((a, b) => depth(b) - depth(a) || b.localeCompare(a));
}

async function find(target: GovcTarget, root: string, type: string): Promise<string[]> {
    const out = await govc(target, ["find", "-type", type, "--", root]);
    return out.split("\n").filter((p) => p !== "" && p !== root);
}

/** The actions that clean the run's `folder` and `pool`, at `now`. */
export async function planSweep(
    target: GovcTarget,
    folder: string,
    pool: string | undefined,
    now: Date,
): Promise<SweepAction[]> {
    const actions: SweepAction[] = [];
    const kept = new Set<string>();
    for (const vm of await find(target, folder, "m")) {
        const info = await govcJson<{ virtualMachines?: VmInfo[]; VirtualMachines?: VmInfo[] }>(
            target,
            ["vm.info", "--", vm],
        );
        const first = (info.virtualMachines ?? info.VirtualMachines ?? [])[0] ?? {};
        const template = first.config?.template ?? first.Config?.Template ?? false;
        const until = keptUntil(first.config?.annotation ?? first.Config?.Annotation);
        if (template || (until !== undefined && until > now)) {
            kept.add(vm);
            continue;
        }
        actions.push({
            what: `power off and destroy VM ${vm}`,
            govc: [
                ["vm.power", "-off", "-force", "--", vm],
                ["vm.destroy", "--", vm],
            ],
        });
    }
    const holdsKept = (p: string) => [...kept].some((vm) => vm.startsWith(`${p}/`));
    if (pool !== undefined) {
        for (const child of deepestFirst(await find(target, pool, "p"))) {
            actions.push({
                what: `destroy resource pool ${child}`,
                govc: [["pool.destroy", "--", child]],
            });
        }
    }
    for (const child of deepestFirst(await find(target, folder, "f"))) {
        if (!holdsKept(child)) {
            actions.push({
                what: `destroy folder ${child}`,
                govc: [["object.destroy", "--", child]],
            });
        }
    }
    return actions;
}

/** Does each action; a failure is reported and the sweep goes on. Returns the failures. */
export async function sweep(
    target: GovcTarget,
    actions: SweepAction[],
    log: (line: string) => void,
): Promise<string[]> {
    const failures: string[] = [];
    for (const action of actions) {
        try {
            for (const args of action.govc) {
                await govc(target, args);
            }
            log(`  done: ${action.what}\n`);
        } catch (err) {
            failures.push(`${action.what}: ${err instanceof Error ? err.message : String(err)}`);
            log(`  FAILED: ${failures[failures.length - 1]}\n`);
        }
    }
    return failures;
}
