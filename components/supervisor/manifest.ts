import * as crypto from "crypto";
import * as fs from "fs";
import { Issue } from "../../providers/validation";
import { LOCAL_VM_OPERATOR_MANIFEST } from "./vm-operator";

/** Where vm-operator's manifest comes from: the project's own, a file, or a pinned URL. */
export type ManifestSource =
    | { kind: "local" }
    | { kind: "file"; path: string }
    | { kind: "url"; url: string; sha256: string };

/**
 * The manifest's text; a URL's must match its pinned SHA-256. What is wrong is returned as
 * issues named by the configuration keys `vmOperatorManifest` and `vmOperatorManifestSha256`.
 */
export async function loadManifest(
    source: ManifestSource,
): Promise<{ text: string } | { issues: Issue[] }> {
    if (source.kind === "local") {
        return { text: fs.readFileSync(LOCAL_VM_OPERATOR_MANIFEST, "utf8") };
    }
    if (source.kind === "file") {
        return { text: fs.readFileSync(source.path, "utf8") };
    }
    const response = await fetch(source.url);
    if (!response.ok) {
        return {
            issues: [
                {
                    field: "vmOperatorManifest",
                    message: `could not be fetched from ${source.url}: HTTP ${response.status}`,
                },
            ],
        };
    }
    const text = await response.text();
    const digest = crypto.createHash("sha256").update(text).digest("hex");
    if (digest !== source.sha256) {
        return {
            issues: [
                {
                    field: "vmOperatorManifestSha256",
                    message: `is ${source.sha256}, but the manifest at ${source.url} has ${digest}`,
                },
            ],
        };
    }
    return { text };
}
