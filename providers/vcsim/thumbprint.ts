import * as crypto from "crypto";

/** vSphere's TLS thumbprint format: SHA-256 of the DER certificate, uppercase hex pairs joined by ':'. */
export function thumbprint(derCertificate: Buffer): string {
    const hex = crypto.createHash("sha256").update(derCertificate).digest("hex").toUpperCase();
    return hex.match(/../g)!.join(":");
}

/** Whether `pin`, a SHA-256 or SHA-1 colon-hex thumbprint (as govc and CAPV take it), is the certificate's. */
export function matchesThumbprint(derCertificate: Buffer, pin: string): boolean {
    const hex = pin.replace(/:/g, "").toLowerCase();
    const algorithm = hex.length === 40 ? "sha1" : "sha256";
    return crypto.createHash(algorithm).update(derCertificate).digest("hex") === hex;
}

/** A DER certificate as PEM. */
export function certificatePem(derCertificate: Buffer): string {
    const lines = derCertificate.toString("base64").match(/.{1,64}/g)!;
    return ["-----BEGIN CERTIFICATE-----", ...lines, "-----END CERTIFICATE-----", ""].join("\n");
}

/** The certificate (DER) a TLS server on host:port presents, read without trusting it. */
export async function serverCertificate(host: string, port: number): Promise<Buffer> {
    const tls: typeof import("tls") = require("tls");
    return new Promise((resolve, reject) => {
        const socket = tls.connect({ host, port, rejectUnauthorized: false }, () => {
            const cert = socket.getPeerCertificate();
            socket.end();
            if (!cert || !cert.raw) {
                reject(new Error(`${host}:${port} presented no certificate`));
                return;
            }
            resolve(cert.raw);
        });
        socket.setTimeout(10_000, () => socket.destroy(new Error(`${host}:${port}: TLS timeout`)));
        socket.on("error", reject);
    });
}

/** Reads the certificate a TLS server on host:port presents and returns its thumbprint. */
export async function serverThumbprint(host: string, port: number): Promise<string> {
    return thumbprint(await serverCertificate(host, port));
}

/**
 * The certificate (PEM) the server of `url` presents, once it is checked to be the one `pin`
 * names: what a client that takes CA files instead of thumbprints (vm-operator) is given.
 */
export async function pinnedCertificate(url: string, pin: string): Promise<string> {
    const { hostname, port } = new URL(url);
    const der = await serverCertificate(hostname, Number(port || 443));
    if (!matchesThumbprint(der, pin)) {
        throw new Error(
            `${hostname}:${port || 443} presents a certificate with thumbprint ${thumbprint(der)}, not the pinned ${pin}`,
        );
    }
    return certificatePem(der);
}
