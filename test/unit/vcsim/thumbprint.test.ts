import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tls from "tls";
import {
    pinnedCertificate,
    serverThumbprint,
    thumbprint,
} from "../../../providers/vcsim/thumbprint";
import { selfSignedCertificate } from "../../support/certificates";

let dir: string;
let certPem: string;
let keyPem: string;

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "thumbprint-"));
    ({ cert: certPem, key: keyPem } = selfSignedCertificate(dir, "vcsim.test"));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("thumbprint", () => {
    it("is what openssl and Node's X509Certificate report as the SHA-256 fingerprint", () => {
        const der = new crypto.X509Certificate(certPem).raw;
        const openssl = childProcess
            .execFileSync("openssl", [
                "x509",
                "-noout",
                "-fingerprint",
                "-sha256",
                "-in",
                path.join(dir, "cert.pem"),
            ])
            .toString()
            .trim()
            .replace(/^.*Fingerprint=/i, "");
        expect(thumbprint(der)).toBe(openssl);
        expect(thumbprint(der)).toBe(new crypto.X509Certificate(certPem).fingerprint256);
    });

    it("has vSphere's form: 32 uppercase hex pairs joined by ':'", () => {
        expect(thumbprint(Buffer.from("anything"))).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    });

    it("reads the certificate a TLS server actually presents", async () => {
        const server = tls.createServer({ cert: certPem, key: keyPem }, (s) => s.end());
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const port = (server.address() as { port: number }).port;
        try {
            expect(await serverThumbprint("127.0.0.1", port)).toBe(
                new crypto.X509Certificate(certPem).fingerprint256,
            );
        } finally {
            server.close();
        }
    });
});

describe("pinnedCertificate", () => {
    let server: tls.Server;
    let url: string;

    beforeAll(async () => {
        server = tls.createServer({ cert: certPem, key: keyPem }, (s) => s.end());
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        url = `https://127.0.0.1:${(server.address() as { port: number }).port}/sdk`;
    });

    afterAll(() => server.close());

    it("is the served certificate, as openssl reads it, when the SHA-256 or SHA-1 pin is its", async () => {
        const cert = new crypto.X509Certificate(certPem);
        for (const pin of [cert.fingerprint256, cert.fingerprint, cert.fingerprint.toLowerCase()]) {
            const pem = await pinnedCertificate(url, pin);
            const file = path.join(dir, "pinned.pem");
            fs.writeFileSync(file, pem);
            const der = childProcess.execFileSync("openssl", [
                "x509",
                "-in",
                file,
                "-outform",
                "DER",
            ]);
            expect(der.equals(cert.raw)).toBe(true);
        }
    });

    it("refuses a server whose certificate the pin does not name, saying which it got", async () => {
        const other = Array(32).fill("AB").join(":");
        await expect(pinnedCertificate(url, other)).rejects.toThrow(
            `presents a certificate with thumbprint ${new crypto.X509Certificate(certPem).fingerprint256}, not the pinned ${other}`,
        );
    });
});
