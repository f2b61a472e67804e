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
