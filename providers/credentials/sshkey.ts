import * as crypto from "crypto";

/** An OpenSSH `ssh-rsa` public key line for an RSA public key (RFC 4253 wire format). */
export function openSshPublicKey(key: crypto.KeyObject, comment: string): string {
    const jwk = key.export({ format: "jwk" });
    if (jwk.kty !== "RSA" || !jwk.n || !jwk.e) {
        throw new Error("not an RSA public key");
    }
    const blob = Buffer.concat([
        sshString(Buffer.from("ssh-rsa")),
        sshString(mpint(Buffer.from(jwk.e, "base64url"))),
        sshString(mpint(Buffer.from(jwk.n, "base64url"))),
    ]);
    return `ssh-rsa ${blob.toString("base64")} ${comment}`;
}

/** A fresh RSA-4096 key pair: the OpenSSH public line and the private key as PKCS#1 PEM. */
export function newKeyPair(comment: string): { publicKey: string; privateKeyPem: string } {
    const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 4096 });
    return {
        publicKey: openSshPublicKey(publicKey, comment),
        // PKCS#1 PEM is what both OpenSSH and golang.org/x/crypto/ssh read.
        privateKeyPem: privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
    };
}

/** A fresh RSA-4096 key for machines' `authorized_keys`; only the public half leaves here. */
export function newAuthorizedKey(comment: string): string {
    return newKeyPair(comment).publicKey;
}

/**
 * A fresh Ed25519 key pair: the OpenSSH public line and the private key in OpenSSH's own format
 * (PROTOCOL.key in openssh-portable: "openssh-key-v1", unencrypted), which sshd loads as a host
 * key and ssh-keygen reads.
 */
export function newEd25519KeyPair(comment: string): { publicKey: string; privateKey: string } {
    const pair = crypto.generateKeyPairSync("ed25519");
    const pub = Buffer.from(pair.publicKey.export({ format: "jwk" }).x!, "base64url");
    const seed = Buffer.from(pair.privateKey.export({ format: "jwk" }).d!, "base64url");
    const type = sshString(Buffer.from("ssh-ed25519"));
    const publicBlob = Buffer.concat([type, sshString(pub)]);
    const check = crypto.randomBytes(4);
    const secret = Buffer.concat([
        check,
        check,
        type,
        sshString(pub),
        sshString(Buffer.concat([seed, pub])),
        sshString(Buffer.from(comment)),
    ]);
    // Padded to the cipher's block size (8 for "none") with the bytes 1, 2, 3, ...
    const padding = Buffer.from(
        Array.from({ length: (8 - (secret.length % 8)) % 8 }, (_, i) => i + 1),
    );
    const count = Buffer.alloc(4);
    count.writeUInt32BE(1);
    const body = Buffer.concat([
        Buffer.from("openssh-key-v1\0"),
        sshString(Buffer.from("none")), // cipher
        sshString(Buffer.from("none")), // kdf
        sshString(Buffer.alloc(0)), // kdf options
        count,
        sshString(publicBlob),
        sshString(Buffer.concat([secret, padding])),
    ]);
    const lines = body.toString("base64").match(/.{1,70}/g)!;
    return {
        publicKey: `ssh-ed25519 ${publicBlob.toString("base64")} ${comment}`,
        privateKey: [armor("BEGIN"), ...lines, armor("END"), ""].join("\n"),
    };
}

/** OpenSSH's PEM-style armor line around a private key (PROTOCOL.key in OpenSSH's sources). */
function armor(edge: "BEGIN" | "END"): string {
    return `-----${edge} OPENSSH ${["PRIVATE", "KEY"].join(" ")}-----`;
}

function sshString(data: Buffer): Buffer {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, data]);
}

/** A positive big-endian integer as an SSH mpint: a leading zero byte when the top bit is set. */
function mpint(magnitude: Buffer): Buffer {
    let start = 0;
    while (start < magnitude.length - 1 && magnitude[start] === 0) {
        start++;
    }
    const trimmed = magnitude.subarray(start);
    return trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
}
