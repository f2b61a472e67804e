import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";

/** A self-signed certificate made by openssl in `dir` (cert.pem, key.pem), for test servers. */
export function selfSignedCertificate(dir: string, commonName: string, subjectAltName?: string) {
    const san = subjectAltName ? ["-addext", `subjectAltName=${subjectAltName}`] : [];
    const certFile = path.join(dir, "cert.pem");
    const keyFile = path.join(dir, "key.pem");
    childProcess.execFileSync(
        "openssl",
        [
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            `/CN=${commonName}`,
            ...san,
            "-keyout",
            keyFile,
            "-out",
            certFile,
        ],
        { stdio: "ignore" },
    );
    return {
        certFile,
        cert: fs.readFileSync(certFile, "utf8"),
        key: fs.readFileSync(keyFile, "utf8"),
    };
}
