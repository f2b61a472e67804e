/**
 * The run's side of cancellation reaching a provider's wait (providers/jobs/cancellation.ts): a
 * marker file named to the engine's processes by K8S_CI_ENVS_CANCEL_FILE, written on the first
 * signal with the signal's name.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Workspace } from "@pulumi/pulumi/automation";
import { CANCEL_FILE_ENV } from "../providers/jobs/cancellation";

export class CancelMarker {
    private constructor(
        private readonly dir: string,
        private readonly workspace: Pick<Workspace, "envVars">,
    ) {}

    /** A marker not yet written, named to the engine's processes the workspace starts. */
    static create(workspace: Pick<Workspace, "envVars">): CancelMarker {
        const marker = new CancelMarker(
            fs.mkdtempSync(path.join(os.tmpdir(), "k8s-ci-envs-cancel-")),
            workspace,
        );
        workspace.envVars[CANCEL_FILE_ENV] = marker.file;
        return marker;
    }

    get file(): string {
        return path.join(this.dir, "cancelled");
    }

    /** Tells every wait of the engine's processes to stop, and why; once removed, nothing. */
    write(reason: string): void {
        if (fs.existsSync(this.dir)) {
            fs.writeFileSync(this.file, `${reason}\n`, { mode: 0o600 });
        }
    }

    /** Names no marker to later operations (the destroy must not stop), and removes it. */
    remove(): void {
        delete this.workspace.envVars[CANCEL_FILE_ENV];
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
