import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    newAuthorizedKey,
    newEd25519KeyPair,
    openSshPublicKey,
} from "../../providers/credentials/sshkey";

describe("openSshPublicKey", () => {
    it("is the line ssh-keygen derives from the private key", () => {
        const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", {
            modulusLength: 2048,
        });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sshkey-"));
        try {
            const file = path.join(dir, "id_rsa");
            fs.writeFileSync(file, privateKey.export({ format: "pem", type: "pkcs1" }), {
                mode: 0o600,
            });
            const fromKeygen = childProcess
                .execFileSync("ssh-keygen", ["-y", "-f", file])
                .toString()
                .trim();
            expect(openSshPublicKey(publicKey, "c@k8s-ci-envs")).toBe(
                `${fromKeygen} c@k8s-ci-envs`,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("makes RSA-4096 keys, as CAPV's vcsim controller", () => {
        const line = newAuthorizedKey("cluster1@k8s-ci-envs");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sshkey-"));
        try {
            fs.writeFileSync(path.join(dir, "key.pub"), line);
            const info = childProcess
                .execFileSync("ssh-keygen", ["-l", "-f", path.join(dir, "key.pub")])
                .toString();
            expect(info).toMatch(/^4096 SHA256:\S+ cluster1@k8s-ci-envs \(RSA\)/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("newEd25519KeyPair", () => {
    it("writes a private key ssh-keygen reads, whose public half is the line it returns", () => {
        const pair = newEd25519KeyPair("root@capo-e2e-controller");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sshkey-"));
        try {
            const file = path.join(dir, "ssh_host_ed25519_key");
            fs.writeFileSync(file, pair.privateKey, { mode: 0o600 });
            const derived = childProcess.execFileSync("ssh-keygen", ["-y", "-f", file]).toString();
            expect(derived.trim()).toBe(pair.publicKey);
            const info = childProcess.execFileSync("ssh-keygen", ["-l", "-f", file]).toString();
            expect(info).toMatch(/^256 SHA256:\S+ root@capo-e2e-controller \(ED25519\)/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("makes a new key every time", () => {
        expect(newEd25519KeyPair("a").publicKey).not.toBe(newEd25519KeyPair("a").publicKey);
    });
});
