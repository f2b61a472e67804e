import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { ManifestSource } from "../../components/supervisor/manifest";
import type { LibrarySpec } from "../../components/supervisor/vm-operator-dependencies";
import {
    checkObjectName,
    StorageClassSpec,
    validateClasses,
    VmClassSpec,
} from "../../components/supervisor/dependencies-spec";
import { checkImage, Issue } from "../../providers/validation";
import { checkLibrarySource } from "../../providers/vsphere/library-item";
import { SUPERVISOR_DEFAULTS } from "../../providers/vcsim/variables";
import { fieldKeys } from "./keys";
import { insideProject } from "./paths";
import { Reader } from "./reader";
import { Composition } from "./types";

export type { ManifestSource };

/** The limited supervisor (CAPV's test/infrastructure/vm-operator and vcsim): what is deployed and how. */
export interface SupervisorSettings {
    vcsimImage: string;
    vcsimArgs: string[];
    /** Create the vcsim custom resources (and, in ci, wait for the EnvVar's variables). */
    vcsimResources: boolean;
    vmOperatorManifest: ManifestSource;
    netOperatorImage: string;
    /** Dependencies from the stack's VCenterConnection, or from its simulator: exactly one. */
    fromConnection: boolean;
    fromSimulator: boolean;
    storageClasses: StorageClassSpec[];
    vmClasses: VmClassSpec[];
    /** A content library the stack makes in vCenter, through the connection. */
    library?: LibrarySpec;
    /** ci: the cluster to deploy to (a secret). */
    kubeconfig?: pulumi.Output<string>;
}

/** `NAME=VALUE` as [NAME, VALUE]; VALUE is empty without `=`. */
function nameAndValue(entry: string): [string, string] {
    const at = entry.indexOf("=");
    return at < 0 ? [entry, ""] : [entry.slice(0, at), entry.slice(at + 1)];
}

/** `name=policy` */
function parseStorageClass(entry: string): StorageClassSpec {
    const [name, storagePolicy] = nameAndValue(entry);
    return { name, storagePolicy };
}

/** `name=cpus,memory` */
function parseVmClass(entry: string): VmClassSpec {
    const [name, rest] = nameAndValue(entry);
    const [cpus, memory = ""] = rest.split(",", 2);
    return { name, cpus: /^-?\d+$/.test(cpus.trim()) ? Number(cpus) : NaN, memory: memory.trim() };
}

function readManifest(reader: Reader, rootDir: string): ManifestSource {
    const value = reader.get("vmOperatorManifest");
    const sha256 = reader.get("vmOperatorManifestSha256");
    if (value === "") {
        return { kind: "local" };
    }
    if (/^https?:\/\//.test(value)) {
        const issues: Issue[] = [];
        if (!value.startsWith("https://")) {
            issues.push({ field: "vmOperatorManifest", message: "must be an https URL" });
        }
        if (!/^[0-9a-f]{64}$/.test(sha256)) {
            issues.push({
                field: "vmOperatorManifestSha256",
                message: `must pin the manifest at ${value} by its SHA-256 (64 lowercase hex); got ${JSON.stringify(sha256)}`,
            });
        }
        reader.report(issues);
        return { kind: "url", url: value, sha256 };
    }
    const { path: file, issues } = insideProject("vmOperatorManifest", value, rootDir);
    if (issues.length > 0) {
        reader.report(issues);
    } else if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        reader.report([{ field: "vmOperatorManifest", message: `names no file: ${file}` }]);
    }
    return { kind: "file", path: file };
}

const CLASS_KEYS = fieldKeys("classes");

/**
 * The supervisor's settings, or undefined where it is not deployed: local unless `supervisor`
 * is false; ci only on a cluster named by `supervisorKubeconfig`.
 */
export function readSupervisor(
    reader: Reader,
    rootDir: string,
    composition: Composition,
    envVarMode: string,
): SupervisorSettings | undefined {
    const kubeconfig = reader.secret("supervisorKubeconfig");
    if (!reader.get("supervisor") || (composition === "ci" && kubeconfig === undefined)) {
        return undefined;
    }
    const settings: SupervisorSettings = {
        vcsimImage: reader.get("vcsimControllerImage"),
        vcsimArgs: reader.get("vcsimControllerArgs"),
        vcsimResources: reader.get("vcsimControllerResources"),
        vmOperatorManifest: readManifest(reader, rootDir),
        netOperatorImage: reader.get("netOperatorImage"),
        fromConnection: reader.get("supervisorConnection"),
        fromSimulator: reader.get("supervisorSimulator"),
        storageClasses: reader.get("supervisorStorageClasses").map(parseStorageClass),
        vmClasses: reader.get("supervisorVmClasses").map(parseVmClass),
        library: readLibrary(reader, rootDir),
        kubeconfig,
    };
    const issues: Issue[] = [];
    if (settings.fromConnection === settings.fromSimulator) {
        issues.push({
            field: "supervisorConnection",
            message: `and supervisorSimulator: exactly one must be true (where vm-operator's dependencies come from); got ${settings.fromConnection ? "both" : "neither"}`,
        });
    }
    if (composition === "ci" && settings.fromSimulator) {
        issues.push({
            field: "supervisorSimulator",
            message: "must be false in ci, which has no simulator (set supervisorConnection)",
        });
    }
    if (composition === "ci" && !reader.get("ciEnvironments").includes("vmc")) {
        issues.push({
            field: "supervisorKubeconfig",
            message:
                "needs VMC's connection for vm-operator's dependencies: ciEnvironments must list vmc",
        });
    }
    for (const key of ["vcsimControllerImage", "netOperatorImage"] as const) {
        issues.push(...checkImage(key, reader.get(key)));
    }
    issues.push(...imageNameIssues(reader));
    if (settings.library && !settings.fromConnection) {
        issues.push({
            field: "supervisorLibraryItems",
            message: "needs supervisorConnection: the library is made in vCenter through it",
        });
    }
    reader.report(issues);
    reader.report(
        validateClasses(["default"], settings.storageClasses, settings.vmClasses),
        CLASS_KEYS,
    );
    if (envVarMode === "supervisor") {
        reader.report(namedByEnvVar(settings, reader.get("vcsimTemplates")[0]));
    }
    return settings;
}

/** `name=source`, a relative file against the project's folder. */
function parseLibraryItem(entry: string, rootDir: string): { name: string; source: string } {
    const [name, value] = nameAndValue(entry);
    const source = value.trim();
    return {
        name,
        source:
            source === "" || /^https?:\/\//.test(source) ? source : path.resolve(rootDir, source),
    };
}

/** With `supervisorLibraryItems`, the content library the stack makes for vm-operator's images. */
function readLibrary(reader: Reader, rootDir: string): LibrarySpec | undefined {
    const items = reader.get("supervisorLibraryItems").map((e) => parseLibraryItem(e, rootDir));
    if (items.length === 0) {
        return undefined;
    }
    const name = reader.get("supervisorContentLibrary");
    const issues = checkObjectName("supervisorContentLibrary", name);
    items.forEach((item, i) => {
        issues.push(...checkObjectName(`supervisorLibraryItems[${i}]`, item.name));
        const field = `supervisorLibraryItems[${i}]`;
        const local = item.source !== "" && !/^https?:\/\//.test(item.source);
        const outside = local ? insideProject(field, item.source, rootDir).issues : [];
        issues.push(...(outside.length > 0 ? outside : checkLibrarySource(field, item.source)));
    });
    reader.report(issues);
    return { name, items };
}

/** Library items name VirtualMachineImages, so the templates must be object names. */
function imageNameIssues(reader: Reader): Issue[] {
    return reader
        .get("vcsimTemplates")
        .flatMap((t, i) => checkObjectName(`vcsimTemplates[${i}]`, t))
        .map((i) => ({ ...i, message: `${i.message} (it names a VirtualMachineImage)` }));
}

/** In supervisor mode the EnvVar names the first classes and template: they must exist. */
function namedByEnvVar(settings: SupervisorSettings, template = ""): Issue[] {
    const issues: Issue[] = [];
    const image = path.posix.basename(template);
    const items = settings.library?.items.map((i) => i.name);
    if (items && !items.includes(image)) {
        issues.push({
            field: "supervisorLibraryItems",
            message: `must list an item named ${image}, which VSPHERE_IMAGE_NAME names (vcsimTemplates[0])`,
        });
    }
    if (settings.storageClasses[0]?.name !== SUPERVISOR_DEFAULTS.storageClass) {
        issues.push({
            field: "supervisorStorageClasses[0]",
            message: `must be ${SUPERVISOR_DEFAULTS.storageClass}, which VSPHERE_STORAGE_CLASS names`,
        });
    }
    if (settings.vmClasses[0]?.name !== SUPERVISOR_DEFAULTS.machineClass) {
        issues.push({
            field: "supervisorVmClasses[0]",
            message: `must be ${SUPERVISOR_DEFAULTS.machineClass}, which VSPHERE_MACHINE_CLASS_NAME names`,
        });
    }
    return issues;
}
