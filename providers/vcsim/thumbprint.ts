import * as crypto from "crypto";

/** vSphere's TLS thumbprint format: SHA-256 of the DER certificate, uppercase hex pairs joined by ':'. */
export function thumbprint(derCertificate: Buffer): string {
    const hex = crypto.createHash("sha256").update(derCertificate).digest("hex").toUpperCase();
    return hex.match(/../g)!.join(":");
}

/** Reads the certificate a TLS server on host:port presents and returns its thumbprint. */
export async function serverThumbprint(host: string, port: number): Promise<string> {
    const tls: typeof import("tls") = require("tls");
    return new Promise((resolve, reject) => {
        const socket = tls.connect({ host, port, rejectUnauthorized: false }, () => {
            const cert = socket.getPeerCertificate();
            socket.end();
            if (!cert || !cert.raw) {
                reject(new Error(`${host}:${port} presented no certificate`));
                return;
            }
            resolve(thumbprint(cert.raw));
        });
        socket.setTimeout(10_000, () => socket.destroy(new Error(`${host}:${port}: TLS timeout`)));
        socket.on("error", reject);
    });
}
