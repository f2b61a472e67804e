/** The run's stack on the Automation API: the program in this repository, one stack per run. */
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";

export const ROOT = path.resolve(__dirname, "..");

/** The run's stack, made if it does not exist yet. */
export function openRunStack(stackName: string): Promise<Stack> {
    return LocalWorkspace.createOrSelectStack({ stackName, workDir: ROOT });
}

/** An existing stack. */
export function selectRunStack(stackName: string): Promise<Stack> {
    return LocalWorkspace.selectStack({ stackName, workDir: ROOT });
}
