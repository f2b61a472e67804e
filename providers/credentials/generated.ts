import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { changedKeys } from "../dynamic";
import { newEd25519KeyPair, newKeyPair } from "./sshkey";

/*
 * Credentials generated once and kept in state as secrets: the machines here reach no
 * registry of Terraform-bridged tls/random plugins, and these need nothing else.
 */

interface KeyPairInputs {
    comment: string;
}

/** A key pair generated once, from its comment; a new comment makes a new pair. */
function keyPairProvider(
    generate: (comment: string) => Record<string, string>,
): pulumi.dynamic.ResourceProvider {
    return {
        async diff(_id: string, olds: KeyPairInputs, news: KeyPairInputs) {
            const replaces = changedKeys<KeyPairInputs>(olds, news, ["comment"]);
            return { changes: replaces.length > 0, replaces };
        },
        async create(inputs: KeyPairInputs) {
            return { id: crypto.randomUUID(), outs: { ...inputs, ...generate(inputs.comment) } };
        },
        async update(_id: string, olds: KeyPairInputs) {
            return { outs: olds };
        },
    };
}

/** An RSA-4096 SSH key pair; the private key (PKCS#1 PEM) is a secret output. */
export class SshKeyPair extends pulumi.dynamic.Resource {
    public readonly publicKey!: pulumi.Output<string>;
    public readonly privateKeyPem!: pulumi.Output<string>;

    constructor(
        name: string,
        args: { comment: pulumi.Input<string> },
        opts?: pulumi.CustomResourceOptions,
    ) {
        super(
            keyPairProvider(newKeyPair),
            name,
            { comment: args.comment, publicKey: undefined, privateKeyPem: undefined },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["privateKeyPem"] }),
            "credentials",
            "SshKeyPair",
        );
    }
}

/**
 * A machine's SSH host key (Ed25519), made before the machine so that its public half can be
 * pinned in known_hosts; the private key (OpenSSH format) is a secret output.
 */
export class SshHostKey extends pulumi.dynamic.Resource {
    /** The `ssh-ed25519 AAAA... comment` line. */
    public readonly publicKey!: pulumi.Output<string>;
    public readonly privateKey!: pulumi.Output<string>;

    constructor(
        name: string,
        args: { comment: pulumi.Input<string> },
        opts?: pulumi.CustomResourceOptions,
    ) {
        super(
            keyPairProvider(newEd25519KeyPair),
            name,
            { comment: args.comment, publicKey: undefined, privateKey: undefined },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["privateKey"] }),
            "credentials",
            "SshHostKey",
        );
    }
}

interface PasswordInputs {
    length: number;
}

interface PasswordOutputs extends PasswordInputs {
    value: string;
}

const passwordProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: PasswordOutputs, news: PasswordInputs) {
        const replaces = changedKeys<PasswordInputs>(olds, news, ["length"]);
        return { changes: replaces.length > 0, replaces };
    },
    async create(inputs: PasswordInputs) {
        // Letters and digits only: safe unquoted in shell, INI, YAML and URLs.
        const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        const bytes = crypto.randomBytes(inputs.length);
        const value = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
        return { id: crypto.randomUUID(), outs: { ...inputs, value } };
    },
    async update(_id: string, olds: PasswordOutputs) {
        return { outs: olds };
    },
};

/** A random password of letters and digits (default 24), a secret output. */
export class GeneratedPassword extends pulumi.dynamic.Resource {
    public readonly value!: pulumi.Output<string>;

    constructor(name: string, args: { length?: number } = {}, opts?: pulumi.CustomResourceOptions) {
        super(
            passwordProvider,
            name,
            { length: args.length ?? 24, value: undefined },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["value"] }),
            "credentials",
            "GeneratedPassword",
        );
    }
}
