import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { removeEmptyParents } from "../dynamic";

/** Removes the empty folders under `dir`, then `dir` itself if it is empty; keeps any file. */
export function removeEmptyFolders(dir: string): void {
    if (!fs.existsSync(dir)) {
        return;
    }
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) {
            removeEmptyFolders(path.join(dir, entry.name));
        }
    }
    try {
        fs.rmdirSync(dir);
    } catch {
        // a file remains: it is someone's, and destroy reports it
    }
}

interface FolderInputs {
    path: string;
    /** The stack's folder: emptied parents up to it go too. */
    stackDir: string;
}

const provider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: FolderInputs) {
        fs.mkdirSync(inputs.path, { recursive: true, mode: 0o700 });
        return { id: inputs.path, outs: inputs };
    },
    async diff(_id: string, olds: FolderInputs, news: FolderInputs) {
        const moved = olds.path !== news.path;
        return { changes: moved, replaces: moved ? ["path"] : [] };
    },
    async delete(_id: string, props: FolderInputs) {
        removeEmptyFolders(props.path);
        removeEmptyParents(props.path, props.stackDir);
    },
};

/**
 * A folder that tools write into without cleaning up after themselves (pulumi-kubernetes'
 * rendered manifests leave their folders). Resources that write there depend on it, so it is
 * deleted after them, taking the emptied folders with it.
 */
export class StackFolder extends pulumi.dynamic.Resource {
    public readonly path!: pulumi.Output<string>;

    constructor(name: string, args: FolderInputs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args }, opts, "files", "StackFolder");
    }
}
