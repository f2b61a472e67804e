/**
 * The DevStack's host keys, under mocks: each machine is made with its own generated key, the
 * stack's known_hosts pins each at the machine's address, and every ssh the stack runs (the
 * tunnel, the log collection, the cloud-init wait) checks the pinned key.
 */
import * as path from "path";
import * as yaml from "js-yaml";
import { isSecretInput, named, reveal, settle, setupMocks, unwrap } from "../../support/mocks";
import { quote } from "../../../components/devstack/shell";
import { sshCommand } from "../../../components/devstack/ssh";
import { SETTINGS } from "./fixtures";

const STACK_DIR = "/stacks/ci-pull-capo-e2e-1234";
const inputs = (name: string) => named(name).inputs as Record<string, any>;
const userData = (role: string) =>
    yaml.load(reveal<Record<string, string>>(inputs(`capo-e2e-${role}`).metadata)["user-data"]) as {
        ssh_keys: { ed25519_private: string; ed25519_public: string };
    };

beforeAll(async () => {
    await setupMocks({ stack: "ci-pull-capo-e2e-1234" });
    const { DevStack } = await import("../../../components/devstack");
    const devstack = new DevStack("devstack", { settings: SETTINGS, stackDir: STACK_DIR });
    await unwrap(devstack.cloudsYamlFile);
});

afterAll(() => settle());

describe("the DevStack's SSH host keys", () => {
    it("makes each machine with its own generated host key, kept secret", () => {
        for (const role of ["controller", "worker"]) {
            const key = named(`devstack-${role}-host-key`);
            expect(key.inputs.comment).toBe(`root@capo-e2e-${role}`);
            expect(key.additionalSecretOutputs).toEqual(["privateKey"]);
            expect(userData(role).ssh_keys).toEqual({
                ed25519_public: `ssh-ed25519 AAAAmock root@capo-e2e-${role}`,
                ed25519_private: `mock-ed25519-private-key of root@capo-e2e-${role}`,
            });
            expect(isSecretInput(inputs(`capo-e2e-${role}`).metadata)).toBe(true);
        }
    });

    it("pins both public keys at the machines' addresses in a 0600 known_hosts of the stack", () => {
        const knownHosts = inputs("devstack-known-hosts");
        expect(knownHosts.path).toBe(path.join(STACK_DIR, "devstack", "known_hosts"));
        // The mocked instances all have the public address 34.86.1.2.
        expect(reveal(knownHosts.content)).toBe(
            "34.86.1.2 ssh-ed25519 AAAAmock root@capo-e2e-controller\n" +
                "34.86.1.2 ssh-ed25519 AAAAmock root@capo-e2e-worker\n",
        );
        expect(named("devstack-known-hosts").type).toBe("pulumi-nodejs:dynamic/files:SecretFile");
    });

    it("checks the pinned key on every ssh: the tunnel, the log collection and the cloud-init wait", () => {
        // The ssh test/unit/devstack/ssh.test.ts runs against a real sshd, on the stack's files.
        const trust = {
            keyFile: path.join(STACK_DIR, "devstack", "id_rsa"),
            knownHostsFile: path.join(STACK_DIR, "devstack", "known_hosts"),
        };
        const tunnel = inputs("devstack-sshuttle").create as string;
        expect(tunnel).toContain(
            `--ssh-cmd ${quote(sshCommand(trust, ["ServerAliveInterval=30"]))}`,
        );
        expect(tunnel).toContain("--listen 127.0.0.1 ");
        const logs = inputs("devstack-logs").delete as string;
        expect(logs).toContain(sshCommand(trust, ["BatchMode=yes", "ConnectTimeout=10"]));
        expect(inputs("devstack-sshuttle").create + inputs("devstack-logs").delete).not.toMatch(
            /StrictHostKeyChecking=no|UserKnownHostsFile=\/dev\/null/,
        );
        expect(
            reveal<Record<string, unknown>>(inputs("devstack-controller-cloud-init").connection),
        ).toMatchObject({ hostKey: "ssh-ed25519 AAAAmock root@capo-e2e-controller" });
    });
});
