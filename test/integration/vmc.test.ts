import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { OUTER_SECRET_KEYS } from "../../components/vmc/names";
import {
    createStack,
    kubectl,
    removeStack,
    ROOT,
    stateResources,
    uniqueStackName,
    withEnvFile,
} from "../support/harness";

jest.setTimeout(20 * 60 * 1000);

const VM = "pulumi-nodejs:dynamic/vsphere:VirtualMachine";

/** The local stack as `npm run up` makes it, without the supervisor on the bootstrap cluster. */
const CONFIG = { supervisor: "false" };

describe("CAPV's CI on the local stack: simulator, bootstrap cluster and Prow's stand-in", () => {
    const name = uniqueStackName("vmc");
    const artifacts = fs.mkdtempSync(path.join(os.tmpdir(), "vmc-artifacts-"));
    const savedArtifacts = process.env.ARTIFACTS;
    let stack: Stack;
    let outputs: Record<string, { value: any; secret?: boolean }>;
    let envFile: string;
    let bootstrap: string;

    beforeAll(async () => {
        process.env.ARTIFACTS = artifacts;
        stack = await createStack(name, CONFIG);
    });

    afterAll(async () => {
        if (savedArtifacts === undefined) {
            delete process.env.ARTIFACTS;
        } else {
            process.env.ARTIFACTS = savedArtifacts;
        }
        fs.rmSync(artifacts, { recursive: true, force: true });
        if (fs.existsSync(path.join(ROOT, `Pulumi.${name}.yaml`))) {
            await removeStack(stack);
        }
    });

    it("comes up with the CI Job run to completion", async () => {
        const started = Date.now();
        const result = await stack.up();
        console.info(`vmc: up took ${Math.round((Date.now() - started) / 1000)} s`);
        expect(result.summary.result).toBe("succeeded");
        outputs = result.outputs;
        envFile = outputs.envFile.value;
        bootstrap = outputs.bootstrapKubeconfigFile.value;
        expect(outputs.vmcCiJobSucceeded.value).toBeGreaterThanOrEqual(1);
        expect(outputs.vmcBootstrapKubeconfig.secret).toBe(true);
        const resources = (await stateResources(stack)).length;
        console.info(`vmc: the local stack holds ${resources} resources`);
    });

    it("has the jump host and the bootstrap node in the simulator, with their addresses", () => {
        const found = withEnvFile(envFile, "govc find / -type m -name 'clusterapi-*'")
            .trim()
            .split("\n")
            .map((p) => path.basename(p))
            .sort();
        expect(found).toEqual(["clusterapi-bootstrap-debug", "clusterapi-jumphost-debug"]);
        for (const [vm, output] of [
            ["clusterapi-jumphost-debug", "vmcJumpHostAddress"],
            ["clusterapi-bootstrap-debug", "vmcBootstrapAddress"],
        ]) {
            const info = JSON.parse(withEnvFile(envFile, `govc vm.info -json ${vm}`));
            const text = JSON.stringify(info);
            expect(outputs[output].value).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
            expect([vm, text.includes(`"${outputs[output].value}"`)]).toEqual([vm, true]);
        }
    });

    it("puts the outer secret on Prow's side, and the inner secret and the Job on the bootstrap cluster", () => {
        const prow = outputs.prowClusterKubeconfigFiles.value["prow-service"];
        const outer = JSON.parse(
            kubectl(prow, ["get", "secret", "clusterapi-provider-vsphere-ci-prow", "-o", "json"]),
        );
        expect(Object.keys(outer.data).sort()).toEqual([...OUTER_SECRET_KEYS].sort());
        const decode = (v: string) => Buffer.from(v, "base64").toString();
        expect(decode(outer.data.jumphost)).toBe(outputs.vmcJumpHostAddress.value);

        const inner = JSON.parse(
            kubectl(bootstrap, [
                "get",
                "secret",
                "clusterapi-provider-vsphere-ci-secret",
                "-o",
                "json",
            ]),
        );
        expect(Object.keys(inner.data).sort()).toEqual([
            "bootstrap-kubeconfig",
            "provider-component-spec",
            "target-vm-ssh",
            "target-vm-ssh-pub",
        ]);
        expect(decode(inner.data["target-vm-ssh-pub"])).toBe(
            decode(outer.data["target-vm-ssh-pub"]),
        );

        const job = JSON.parse(
            kubectl(bootstrap, ["get", "job", "cluster-api-provider-vsphere-ci", "-o", "json"]),
        );
        expect(job.spec.backoffLimit).toBe(4);
        expect(job.status.succeeded).toBe(1);
        expect(job.status.conditions).toContainEqual(
            expect.objectContaining({ type: "Complete", status: "True" }),
        );
        const status = JSON.parse(
            fs.readFileSync(path.join(artifacts, "vmc/ci-job/job.json"), "utf8"),
        );
        expect(status.status.succeeded).toBe(1);
    });

    it("has nothing to change right after up", async () => {
        await stack.preview({ expectNoChanges: true });
    });

    it("shows a VM powered off by hand in refresh", async () => {
        withEnvFile(envFile, "govc vm.power -off -force clusterapi-jumphost-debug");
        await stack.refresh();
        const vm = (await stateResources(stack)).find(
            (r) => r.type === VM && r.outputs?.name === "clusterapi-jumphost-debug",
        );
        expect(vm?.outputs?.powerState).toBe("off");
    });

    it("fails up with the Job's reason when the Job fails, and writes the artifacts", async () => {
        await stack.setConfig("k8s-ci-envs:vmcLocalJobExitCode", { value: "3" });
        fs.rmSync(path.join(artifacts, "vmc"), { recursive: true, force: true });
        await expect(stack.up()).rejects.toThrow(
            /Job default\/cluster-api-provider-vsphere-ci failed: BackoffLimitExceeded[^]*exited 3 \(CiJobFailed/,
        );
        const dir = path.join(artifacts, "vmc/ci-job");
        const files = fs.readdirSync(dir);
        expect(files).toEqual(expect.arrayContaining(["job.json", "pods.json"]));
        expect(files.filter((f) => f.endsWith(".log")).length).toBeGreaterThanOrEqual(1);
        const job = JSON.parse(fs.readFileSync(path.join(dir, "job.json"), "utf8"));
        expect(job.status.conditions).toContainEqual(
            expect.objectContaining({ type: "Failed", reason: "BackoffLimitExceeded" }),
        );
        const password = (await stack.outputs()).vcenterPassword.value as string;
        for (const f of files) {
            expect([f, fs.readFileSync(path.join(dir, f), "utf8").includes(password)]).toEqual([
                f,
                false,
            ]);
        }
    });

    it("refuses bad input at preview, naming the key, and creates nothing", async () => {
        const other = await createStack(uniqueStackName("vmc-bad"), {
            vmcCiJobTimeoutSeconds: "5",
        });
        try {
            await expect(other.preview()).rejects.toThrow(
                /k8s-ci-envs:vmcCiJobTimeoutSeconds must be an integer from 10 to 86400/,
            );
            expect(fs.existsSync(path.join(ROOT, "out", other.name))).toBe(false);
        } finally {
            await removeStack(other);
        }
    });

    it("goes down leaving no VM, secret, Job or file", async () => {
        const stackDir = outputs.stackDir.value as string;
        const started = Date.now();
        await removeStack(stack);
        console.info(`vmc: destroy took ${Math.round((Date.now() - started) / 1000)} s`);
        expect(fs.existsSync(stackDir)).toBe(false);
    });
});
