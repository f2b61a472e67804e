import * as childProcess from "child_process";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";

/**
 * Removes a destroyed stack with every copy of its state, and its Pulumi.<stack>.yaml
 * (hack/remove-stack). The Automation API's removeStack keeps the file backend's backups.
 */
export function removeStackWithBackups(stack: Stack): void {
    childProcess.execFileSync(path.resolve(__dirname, "../hack/remove-stack"), [stack.name], {
        cwd: stack.workspace.workDir,
        env: { ...process.env, ...stack.workspace.envVars },
        stdio: ["ignore", "ignore", "inherit"],
    });
}
