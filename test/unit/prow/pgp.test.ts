import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    encryptArmored,
    encryptedFileProvider,
    readRecipient,
} from "../../../providers/credentials/pgp";
import { adminKubeconfig } from "../../support/prow-fixtures";

let home: string;
let armoredPublicKey: string;
let fingerprint: string;

const gpg = (args: string[], input?: string) =>
    childProcess.execFileSync("gpg", ["--batch", "--homedir", home, ...args], {
        input,
        stdio: ["pipe", "pipe", "pipe"],
    });

beforeAll(() => {
    // A throwaway automation key, made by gpg itself.
    home = fs.mkdtempSync(path.join(os.tmpdir(), "gnupg-"));
    fs.chmodSync(home, 0o700);
    gpg([
        "--passphrase",
        "",
        "--quick-gen-key",
        "KubeVirt CI test <ci@kubevirt.test>",
        "ed25519",
        "cert",
        "never",
    ]);
    fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(
        gpg(["--with-colons", "--list-keys"]).toString(),
    )![1];
    gpg(["--passphrase", "", "--quick-add-key", fingerprint, "cv25519", "encr", "never"]);
    armoredPublicKey = gpg(["--armor", "--export", fingerprint]).toString();
}, 60_000);

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describe("encrypted kubeconfigs", () => {
    it("decrypt with real gpg to the kubeconfig, byte for byte", async () => {
        // A trailing space, CRLF and non-ASCII: a text-mode encryption would alter them.
        const kubeconfig = `${adminKubeconfig("prow-arm64-workloads")}# café \r\nno final newline`;
        const armored = await encryptArmored(kubeconfig, armoredPublicKey);
        expect(armored).toMatch(/^-----BEGIN PGP MESSAGE-----/);
        expect(gpg(["--decrypt"], armored).equals(Buffer.from(kubeconfig, "utf8"))).toBe(true);
    });

    it("go to the configured recipient only", async () => {
        const recipient = await readRecipient(armoredPublicKey, `0x${fingerprint.slice(-16)}`);
        expect(recipient.fingerprint).toBe(fingerprint);
        await expect(readRecipient(armoredPublicKey, "0xF0C379576ACC7D14")).rejects.toThrow(
            `is key ${fingerprint}, not the configured recipient 0xF0C379576ACC7D14`,
        );
    });

    it("refuse a private key, a key without encryption, and garbage", async () => {
        const secretKey = gpg([
            "--armor",
            "--export-secret-keys",
            "--passphrase",
            "",
            "--pinentry-mode",
            "loopback",
            fingerprint,
        ]).toString();
        await expect(readRecipient(secretKey, "")).rejects.toThrow("is a private key");
        const signOnlyHome = fs.mkdtempSync(path.join(os.tmpdir(), "gnupg-"));
        try {
            const signOnly = (args: string[]) =>
                childProcess.execFileSync("gpg", ["--batch", "--homedir", signOnlyHome, ...args], {
                    stdio: ["pipe", "pipe", "pipe"],
                });
            signOnly([
                "--passphrase",
                "",
                "--quick-gen-key",
                "Sign only <s@kubevirt.test>",
                "ed25519",
                "sign",
                "never",
            ]);
            await expect(
                readRecipient(signOnly(["--armor", "--export"]).toString(), ""),
            ).rejects.toThrow("has no key that can encrypt");
        } finally {
            fs.rmSync(signOnlyHome, { recursive: true, force: true });
        }
        await expect(readRecipient("not a key", "")).rejects.toThrow(
            "not an armored OpenPGP public key",
        );
    });
});

describe("the EncryptedFile provider", () => {
    it("keeps no digest of the kubeconfig in state, and re-encrypts only a new one", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "encrypted-"));
        try {
            const plaintext = adminKubeconfig("prow-workloads");
            const inputs = {
                path: path.join(dir, "prow-workloads.kubeconfig.asc"),
                plaintext,
                recipientKey: armoredPublicKey,
                recipient: fingerprint,
                stackDir: dir,
            };
            const { outs } = await encryptedFileProvider.create!(inputs);
            expect(Object.keys(outs).sort()).toEqual(
                [...Object.keys(inputs), "armored", "fingerprint"].sort(),
            );
            const digest = crypto.createHash("sha256").update(plaintext).digest("hex");
            expect(JSON.stringify(outs)).not.toContain(digest);
            const diff = (news: typeof inputs) => encryptedFileProvider.diff!("id", outs, news);
            expect((await diff(inputs)).changes).toBe(false);
            expect((await diff({ ...inputs, plaintext: `${plaintext}# new\n` })).changes).toBe(
                true,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
