import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import {
    bootstrapUserData,
    jumpHostUserData,
    kindScript,
    rewriteServer,
} from "../../../components/vmc/cloud-init";
import { validateCiJobArgs } from "../../../components/vmc/ci-job";
import {
    checkOuterValues,
    validateCiSecretTransferArgs,
} from "../../../components/vmc/secret-transfer";
import { validateCiVmArgs } from "../../../components/vmc/vm";
import { redact } from "../../../providers/jobs/artifacts";
import { failureMessage, jobOutcome } from "../../../providers/jobs/outcome";
import { ConfigSource, readSettings } from "../../../stacks/config";
import { parseAddressPool } from "../../../stacks/config/vmc";

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "vmc-pieces-"))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const KEY = "ssh-rsa AAAAB3NzaC1yc2E capv@ci";

describe("the VMs' cloud-init", () => {
    it.each([
        ["jump host", jumpHostUserData(KEY)],
        ["bootstrap VM", bootstrapUserData(KEY, "v0.23.0")],
    ])("is valid for cloud-init's own schema (%s)", (role, userData) => {
        const target = path.join(dir, `${role.replace(" ", "-")}.yaml`);
        fs.writeFileSync(target, userData);
        const out = childProcess
            .execFileSync("cloud-init", ["schema", "--config-file", target])
            .toString();
        expect(out).toContain("Valid cloud-config");
    });

    it("creates kind with its API server on the VM's address, by a script bash accepts", () => {
        const script = kindScript("v0.23.0");
        childProcess.execFileSync("bash", ["-n"], { input: script });
        expect(script).toContain("https://kind.sigs.k8s.io/dl/v0.23.0/kind-linux-amd64");
        expect(script).toContain("apiServerPort: 6443");
        expect(script).toContain('certSANs: ["$address"]');
    });
});

describe("the bootstrap kubeconfig", () => {
    it("is rewritten to the VM's address, as CAPV's create_kind_cluster.sh's sed localhost→IP", () => {
        const kind = yaml.dump({
            apiVersion: "v1",
            clusters: [{ name: "kind-bootstrap", cluster: { server: "https://127.0.0.1:6443" } }],
        });
        const out = yaml.load(rewriteServer(kind, "192.168.32.14")) as any;
        expect(out.clusters[0].cluster.server).toBe("https://192.168.32.14:6443");
        expect(() => rewriteServer("", "192.168.32.14")).toThrow(/no kubeconfig/);
    });
});

describe("a Job's end", () => {
    const job = (conditions: { type: string; status: string; reason?: string }[]) => ({
        metadata: { name: "cluster-api-provider-vsphere-ci", namespace: "default" },
        status: { conditions, succeeded: 1, completionTime: "2025-01-01T00:00:00Z" },
    });

    it("is read from its conditions", () => {
        expect(jobOutcome(job([]))).toEqual({ state: "running" });
        expect(jobOutcome(job([{ type: "Complete", status: "True" }]))).toMatchObject({
            state: "complete",
            succeeded: 1,
        });
        expect(
            jobOutcome(
                job([
                    { type: "FailureTarget", status: "True", reason: "BackoffLimitExceeded" },
                    { type: "Complete", status: "False" },
                ]),
            ),
        ).toEqual({ state: "failed", reason: "BackoffLimitExceeded", message: "" });
    });

    it("fails up with the Job's reason and its pods' exit codes", () => {
        const pods = [
            {
                metadata: { name: "ci-abcde" },
                status: {
                    containerStatuses: [
                        {
                            name: "ci",
                            state: { terminated: { exitCode: 3, reason: "CiJobFailed" } },
                        },
                    ],
                },
            },
        ];
        expect(
            failureMessage(
                job([]),
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit",
                pods,
            ),
        ).toBe(
            "Job default/cluster-api-provider-vsphere-ci failed: BackoffLimitExceeded: Job has reached the specified backoff limit\n" +
                "pod ci-abcde: container ci exited 3 (CiJobFailed)",
        );
    });

    it("leaves secrets out of the artifacts", () => {
        expect(redact("password=s3cr3t-pw, again s3cr3t-pw", ["s3cr3t-pw", ""])).toBe(
            "password=***, again ***",
        );
    });
});

describe("the components' args", () => {
    it("are refused, named, when the Job cannot run", () => {
        expect(
            validateCiJobArgs({ image: "a b", command: [], timeoutSeconds: 5 }).map((i) => i.field),
        ).toEqual(["image", "command", "timeoutSeconds"]);
    });

    it("need exactly one source of the outer secret, with all nine keys", () => {
        expect(validateCiSecretTransferArgs({})).toHaveLength(1);
        expect(() => checkOuterValues({ jumphost: "j" })).toThrow(
            /clusterapi-provider-vsphere-ci-prow lacks jumphost-key, bootstrapper-key/,
        );
    });

    it("refuse zero CPUs and a memory size vSphere refuses", () => {
        expect(validateCiVmArgs({ cpus: 0, memoryMiB: 4098 }).map((i) => i.field)).toEqual([
            "cpus",
            "memoryMiB",
        ]);
    });
});

/** Configuration as `pulumi config` holds it. */
function source(
    values: Record<string, string>,
    secrets: Record<string, string> = {},
): ConfigSource {
    return {
        get: (k) => values[k],
        getSecret: (k) => (k in secrets ? pulumi.secret(secrets[k]) : undefined),
    };
}

describe("the vmc configuration", () => {
    const ci = {
        composition: "ci",
        ciEnvironments: '["vmc"]',
        vsphereServer: "vcenter.example.com",
        vsphereUsername: "u",
        vsphereTlsThumbprint: Array(32).fill("AB").join(":"),
    };

    it("defaults in local to CAPV's CI Job, generated keys and the debug context", () => {
        const settings = readSettings(source({}), "local-x", dir);
        expect(settings.vmc).toMatchObject({
            context: "debug",
            ciImage: "gcr.io/cluster-api-provider-vsphere/pr/ci:debug",
            ciCommand: ["./clusterctl.sh"],
            ciTimeoutSeconds: 600,
            localJobExitCode: 0,
        });
    });

    it("names each bad key at preview", () => {
        expect(() =>
            readSettings(
                source({
                    vmcCiCommand: "[]",
                    vmcCiJobTimeoutSeconds: "1",
                    vmcCiSecretNamespace: "Not_A_Label",
                    vmcLocalJobExitCode: "300",
                }),
                "local-x",
                dir,
            ),
        ).toThrow(
            new RegExp(
                [
                    "k8s-ci-envs:vmcCiCommand must be a non-empty list",
                    "k8s-ci-envs:vmcCiJobTimeoutSeconds must be an integer from 10 to 86400",
                    "k8s-ci-envs:vmcCiSecretNamespace must be a DNS label",
                    "k8s-ci-envs:vmcLocalJobExitCode must be an integer from 0 to 255",
                ].join("[^]*"),
            ),
        );
    });

    it("requires in ci the provider components and exactly one source of the outer secret", () => {
        expect(() => readSettings(source(ci, { vspherePassword: "p" }), "ci-x", dir)).toThrow(
            /k8s-ci-envs:vmcProviderComponentSpec is required when ciEnvironments lists vmc[^]*k8s-ci-envs:vmcCiSecret or vmcProwKubeconfig/,
        );
    });

    it("refuses an address pool too small for the jump host and the bootstrap VM", () => {
        const pool = (addresses: string[]) =>
            JSON.stringify({ addresses, gateway: "192.168.32.1", prefix: 21 });
        expect(parseAddressPool("vsphereIpPool", pool(["192.168.35.1"]), 2).issues).toEqual([
            expect.objectContaining({
                field: "vsphereIpPool",
                message: expect.stringMatching(/holds 1 address/),
            }),
        ]);
        expect(parseAddressPool("vsphereIpPool", pool(["192.168.35.1-192.168.35.2"]), 2)).toEqual({
            pool: { addresses: ["192.168.35.1-192.168.35.2"], gateway: "192.168.32.1", prefix: 21 },
            issues: [],
        });
        expect(parseAddressPool("vsphereIpPool", "{", 2).issues[0].field).toBe("vsphereIpPool");
        const spec = path.join(dir, "spec.yaml");
        fs.writeFileSync(spec, "kind: List\n");
        expect(() =>
            readSettings(
                source(
                    {
                        ...ci,
                        vsphereIpPool: pool(["192.168.35.1"]),
                        vmcProviderComponentSpec: spec,
                    },
                    { vspherePassword: "p", vmcCiSecret: "{}" },
                ),
                "ci-x",
                dir,
            ),
        ).toThrow(/k8s-ci-envs:vsphereIpPool holds 1 address, too few for the 2 VMs/);
    });
});
