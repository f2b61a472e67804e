import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { changedKeys, hasUnknowns, removeEmptyParents } from "../dynamic";

/**
 * OpenPGP through openpgp.js: kubeconfigs encrypted to KubeVirt's automation key, as KubeVirt's project-infra (hack/manage-secrets.sh)
 * `gpg --encrypt --recipient` does, for the "add a cluster" issue workflow.
 */

/** An armored public key, checked to be `expected` (a key id or fingerprint, 0x optional). */
export interface Recipient {
    fingerprint: string;
    /** The primary key's and subkeys' ids, uppercase hex. */
    keyIds: string[];
}

export async function readRecipient(armoredKey: string, expected: string): Promise<Recipient> {
    const openpgp: typeof import("openpgp") = require("openpgp");
    let key;
    try {
        key = await openpgp.readKey({ armoredKey });
    } catch (err) {
        throw new Error(`not an armored OpenPGP public key: ${(err as Error).message}`);
    }
    if (key.isPrivate()) {
        throw new Error("is a private key: give the public key only");
    }
    try {
        await key.getEncryptionKey();
    } catch {
        throw new Error("has no key that can encrypt");
    }
    const fingerprint = key.getFingerprint().toUpperCase();
    const keyIds = key.getKeyIDs().map((id) => id.toHex().toUpperCase());
    const want = expected.replace(/^0x/i, "").toUpperCase();
    if (want !== "" && want !== fingerprint && !keyIds.includes(want)) {
        throw new Error(`is key ${fingerprint}, not the configured recipient ${expected}`);
    }
    return { fingerprint, keyIds };
}

interface KeyPairInputs {
    name: string;
    email: string;
}

interface KeyPairOutputs extends KeyPairInputs {
    publicKey: string;
    privateKey: string;
    fingerprint: string;
}

const keyPairProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: KeyPairOutputs, news: KeyPairInputs) {
        const replaces = changedKeys<KeyPairInputs>(olds, news, ["name", "email"]);
        return { changes: replaces.length > 0, replaces };
    },
    async create(inputs: KeyPairInputs) {
        const openpgp: typeof import("openpgp") = require("openpgp");
        // Ed25519 with a Curve25519 subkey, as v4 keys that GnuPG 2.2 reads.
        const { publicKey, privateKey } = await openpgp.generateKey({
            type: "ecc",
            curve: "curve25519Legacy",
            userIDs: [{ name: inputs.name, email: inputs.email }],
            format: "armored",
        });
        const key = await openpgp.readKey({ armoredKey: publicKey });
        const fingerprint = key.getFingerprint().toUpperCase();
        return { id: fingerprint, outs: { ...inputs, publicKey, privateKey, fingerprint } };
    },
    async update(_id: string, olds: KeyPairOutputs) {
        return { outs: olds };
    },
};

/** A throwaway OpenPGP key pair (the local stack's stand-in for the automation key). */
export class PgpKeyPair extends pulumi.dynamic.Resource {
    public readonly publicKey!: pulumi.Output<string>;
    public readonly privateKey!: pulumi.Output<string>;
    public readonly fingerprint!: pulumi.Output<string>;

    constructor(name: string, args: KeyPairInputs, opts?: pulumi.CustomResourceOptions) {
        super(
            keyPairProvider,
            name,
            { ...args, publicKey: undefined, privateKey: undefined, fingerprint: undefined },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["privateKey"] }),
            "credentials",
            "PgpKeyPair",
        );
    }
}

export interface EncryptedFileArgs {
    /** The armored file to write (it is safe to share: only the recipient can read it). */
    path: pulumi.Input<string>;
    /** What to encrypt, a secret. */
    plaintext: pulumi.Input<string>;
    /** The recipient's armored public key. */
    recipientKey: pulumi.Input<string>;
    /** The recipient's key id or fingerprint the key must have. */
    recipient: pulumi.Input<string>;
    stackDir: pulumi.Input<string>;
}

interface EncryptedInputs {
    path: string;
    plaintext: string;
    recipientKey: string;
    recipient: string;
    stackDir: string;
}

interface EncryptedOutputs extends EncryptedInputs {
    armored: string;
    fingerprint: string;
}

export const encryptedFileProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: unknown, news: EncryptedInputs) {
        if (hasUnknowns(news.recipientKey)) {
            return { inputs: news };
        }
        try {
            await readRecipient(news.recipientKey, news.recipient);
            return { inputs: news };
        } catch (err) {
            return {
                inputs: news,
                failures: [{ property: "recipientKey", reason: (err as Error).message }],
            };
        }
    },
    async diff(_id: string, olds: EncryptedOutputs, news: EncryptedInputs) {
        if (hasUnknowns(news)) {
            return { changes: true };
        }
        // Encryption is randomized: only a new plaintext, recipient or place re-encrypts. The
        // plaintext is compared as state keeps it, secret; no digest of it is stored unmarked.
        const changed =
            olds.path !== news.path ||
            olds.recipientKey !== news.recipientKey ||
            olds.plaintext !== news.plaintext;
        return {
            changes: changed,
            replaces: olds.path !== news.path ? ["path"] : [],
            deleteBeforeReplace: true,
        };
    },
    async create(inputs: EncryptedInputs) {
        const outs = await encryptToFile(inputs);
        return { id: inputs.path, outs };
    },
    async update(_id: string, _olds: EncryptedOutputs, news: EncryptedInputs) {
        return { outs: await encryptToFile(news) };
    },
    async delete(_id: string, props: EncryptedOutputs) {
        fs.rmSync(props.path, { force: true });
        removeEmptyParents(props.path, props.stackDir);
    },
};

/** `plaintext` encrypted to the armored public key, as an armored OpenPGP message. */
export async function encryptArmored(plaintext: string, armoredKey: string): Promise<string> {
    const openpgp: typeof import("openpgp") = require("openpgp");
    const encryptionKeys = await openpgp.readKey({ armoredKey });
    // Binary literal data, so that `gpg --decrypt` gives back the exact bytes.
    const message = await openpgp.createMessage({
        binary: new Uint8Array(Buffer.from(plaintext, "utf8")),
    });
    return openpgp.encrypt({ message, encryptionKeys, format: "armored" });
}

async function encryptToFile(inputs: EncryptedInputs): Promise<EncryptedOutputs> {
    const { fingerprint } = await readRecipient(inputs.recipientKey, inputs.recipient);
    const armored = await encryptArmored(inputs.plaintext, inputs.recipientKey);
    fs.mkdirSync(path.dirname(inputs.path), { recursive: true, mode: 0o700 });
    const tmp = `${inputs.path}.${crypto.randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(tmp, armored, { mode: 0o644 });
    fs.renameSync(tmp, inputs.path);
    return { ...inputs, armored, fingerprint };
}

/** A file of `plaintext` encrypted to the recipient's OpenPGP key, armored. */
export class EncryptedFile extends pulumi.dynamic.Resource {
    public readonly path!: pulumi.Output<string>;
    public readonly armored!: pulumi.Output<string>;
    public readonly fingerprint!: pulumi.Output<string>;

    constructor(name: string, args: EncryptedFileArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            encryptedFileProvider,
            name,
            {
                ...args,
                plaintext: pulumi.secret(args.plaintext),
                armored: undefined,
                fingerprint: undefined,
            },
            opts,
            "credentials",
            "EncryptedFile",
        );
    }
}
