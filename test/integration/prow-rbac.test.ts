/**
 * Prow's credentials and what `down` may delete, on the real engine and one real cluster
 * (test/integration/prow-rbac-program): the service account may manage pods in the jobs
 * namespace and nothing else (kubectl auth can-i, and Prow's own loader); its token comes from
 * the TokenRequest API with the configured lifetime, and one past half of it is renewed by
 * `up`; the local mode deletes the registration's objects, the ci mode keeps what Prow depends
 * on and refuses to delete Prow's kubeconfig secret until it is unprotected.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { tokenClaims } from "../support/prow-fixtures";
import { prowBuildClusters } from "../support/prow-tools";
import {
    kubectl,
    processesIn,
    removeStack,
    ROOT,
    stateResources,
    uniqueStackName,
} from "../support/harness";

jest.setTimeout(8 * 60 * 1000);

const PROGRAM = path.join(ROOT, "test/integration/prow-rbac-program");
const JOBS = "kubevirt-prow-jobs";
const SA = "prow-workloads-cluster-automation";
const AS = `--as=system:serviceaccount:${JOBS}:${SA}`;
const TOKEN = "pulumi-nodejs:dynamic/tokens:ServiceAccountToken";

/** The pulumi CLI on the program's stack (for what the Automation API lacks). */
function pulumiCli(stack: Stack, args: string[], input?: string): string {
    return childProcess
        .execFileSync("pulumi", [...args, "--stack", stack.name], {
            cwd: PROGRAM,
            env: { ...process.env, ...stack.workspace.envVars },
            input,
            stdio: ["pipe", "pipe", "pipe"],
            maxBuffer: 256 * 1024 * 1024,
        })
        .toString();
}

/** What `kubectl auth can-i` answers: "yes" or "no". */
function canI(kubeconfig: string, args: string[]): string {
    const env = { ...process.env };
    delete env.KUBECONFIG;
    const result = childProcess.spawnSync(
        "kubectl",
        ["--kubeconfig", kubeconfig, "auth", "can-i", ...args],
        { env },
    );
    return result.stdout.toString().trim();
}

/** Whether the object exists on the cluster. */
function exists(kubeconfig: string, args: string[]): boolean {
    try {
        kubectl(kubeconfig, ["get", ...args, "-o", "name"]);
        return true;
    } catch (err) {
        if (/NotFound/.test(String((err as { stderr?: Buffer }).stderr ?? err))) {
            return false;
        }
        throw err;
    }
}

/** The one user's token in a kubeconfig of Prow's. */
function tokenOf(kubeconfig: string): string {
    return /token: (\S+)/.exec(kubeconfig)![1];
}

describe("Prow's registration on one real cluster", () => {
    const name = uniqueStackName("prow-rbac");
    const stackDir = path.join(ROOT, "out", name);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "prow-rbac-"));
    const prowFile = path.join(scratch, "prow.kubeconfig");
    let stack: Stack;
    let admin: string;
    let prowKubeconfig: string;

    const configure = (settings: { register: boolean; sharedObjects: string }) =>
        stack.setAllConfig({
            register: { value: String(settings.register) },
            sharedObjects: { value: settings.sharedObjects },
        });

    async function up() {
        const result = await stack.up();
        const outputs = result.outputs;
        admin = outputs.adminKubeconfigFile.value as string;
        prowKubeconfig = outputs.prowKubeconfig?.value as string;
        if (prowKubeconfig !== undefined) {
            fs.writeFileSync(prowFile, prowKubeconfig, { mode: 0o600 });
        }
        return result;
    }

    /**
     * Makes the token's record say it was minted 90 minutes ago for 2 hours; then refresh and
     * preview show it due, and `up` mints a new one into Prow's secret, updated in place.
     */
    async function expectRenewal() {
        const before = tokenOf(prowKubeconfig);
        const state = JSON.parse(pulumiCli(stack, ["stack", "export"]));
        const token = state.deployment.resources.find((r: { type: string }) => r.type === TOKEN);
        const now = Date.now();
        token.outputs.issuedAt = new Date(now - 90 * 60_000).toISOString();
        token.outputs.expiresAt = new Date(now + 30 * 60_000).toISOString();
        const file = path.join(scratch, "state.json");
        fs.writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
        pulumiCli(stack, ["stack", "import", "--file", file]);

        const refresh = await stack.previewRefresh();
        expect(refresh.changeSummary).toMatchObject({ update: 1 });
        const preview = await stack.preview();
        // The token, and Prow's secret that holds it.
        expect(preview.changeSummary).toMatchObject({ replace: 1, update: 1 });
        expect(Object.keys(preview.changeSummary).sort()).toEqual(["replace", "same", "update"]);

        const result = await up();
        expect(result.summary.resourceChanges).toMatchObject({ replace: 1, update: 1 });
        const after = tokenOf(prowKubeconfig);
        expect(after).not.toBe(before);
        const inSecret = kubectl(admin, [
            "get",
            "secret/kubeconfig",
            "--namespace=kubevirt-prow",
            "--output=jsonpath={.data.config}",
        ]);
        expect(tokenOf(Buffer.from(inSecret, "base64").toString())).toBe(after);
        expect(tokenClaims(after).exp * 1000).toBeGreaterThan(now + 119 * 60_000);
        expect((await prowBuildClusters(prowKubeconfig, JOBS)).every((s) => s.ok)).toBe(true);
        await stack.preview({ expectNoChanges: true });
    }

    beforeAll(async () => {
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: name, workDir: PROGRAM },
            { envVars: { PULUMI_CONFIG_PASSPHRASE: process.env.K8S_CI_ENVS_LOCAL_PASSPHRASE! } },
        );
        await stack.setAllConfig({
            stackDir: { value: stackDir },
            tokenTtlHours: { value: "2" },
        });
        await configure({ register: true, sharedObjects: "delete" });
    });

    afterAll(async () => {
        try {
            // A failed step may leave Prow's secret protected: the test's own stack goes anyway.
            if ((await stateResources(stack)).some((r) => (r as { protect?: boolean }).protect)) {
                pulumiCli(stack, ["state", "unprotect", "--all", "--yes"]);
            }
            await removeStack(stack);
            expect(processesIn(stackDir)).toEqual([]);
            expect(fs.existsSync(stackDir)).toBe(false);
        } finally {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    });

    it("comes up with a TokenRequest token of the configured lifetime, and no token Secret", async () => {
        const result = await up();
        const token = tokenOf(prowKubeconfig);
        const { iat, exp, sub } = tokenClaims(token);
        expect(sub).toBe(`system:serviceaccount:${JOBS}:${SA}`);
        expect(exp - iat).toBe(2 * 3600);
        expect(Date.parse(result.outputs.tokenExpiresAt.value as string)).toBe(exp * 1000);
        expect(result.outputs.prowKubeconfig.secret).toBe(true);
        const secrets = JSON.parse(kubectl(admin, ["get", "secrets", "-n", JOBS, "-o", "json"]));
        expect(secrets.items.map((s: { type: string }) => s.type)).not.toContain(
            "kubernetes.io/service-account-token",
        );
        await stack.preview({ expectNoChanges: true });
    });

    it("lets Prow's service account manage pods in the jobs namespace, and nothing else", () => {
        const allowed = [
            ...["create", "delete", "get", "list", "patch", "watch"].map((verb) => [verb, "pods"]),
            ["get", "pods", "--subresource=log"],
            ["get", "events"],
            ["list", "events"],
        ];
        for (const args of allowed) {
            expect([...args, canI(admin, [...args, "-n", JOBS, AS])]).toEqual([...args, "yes"]);
        }
        const refused = [
            ["get", "secrets", "-n", JOBS],
            ["get", "configmaps", "-n", JOBS],
            ["update", "pods", "-n", JOBS],
            ["create", "pods", "--subresource=exec", "-n", JOBS],
            ["create", "serviceaccounts", "--subresource=token", "-n", JOBS],
            ["create", "rolebindings", "-n", JOBS],
            ["create", "pods", "-n", "default"],
            ["list", "pods", "--all-namespaces"],
            ["list", "nodes"],
            ["create", "namespaces"],
            ["*", "*", "--all-namespaces"],
        ];
        for (const args of refused) {
            expect([...args, canI(admin, [...args, AS])]).toEqual([...args, "no"]);
        }
        // The same with the token Prow holds, through Prow's kubeconfig itself.
        expect(canI(prowFile, ["create", "pods", "-n", JOBS])).toBe("yes");
        expect(canI(prowFile, ["list", "nodes"])).toBe("no");
        expect(() => kubectl(prowFile, ["get", "secrets", "-n", JOBS])).toThrow(/Forbidden/);
    });

    it("is accepted by Prow's own loader in the pod_namespace, and refused in another", async () => {
        expect(await prowBuildClusters(prowKubeconfig, JOBS)).toEqual([
            { context: "default", ok: true },
            { context: "prow-workloads", ok: true },
        ]);
        const elsewhere = await prowBuildClusters(prowKubeconfig, "default");
        expect(elsewhere.map((s) => s.ok)).toEqual([false, false]);
    });

    it("shows a token past half its life due in refresh and preview, and up renews it", async () => {
        await expectRenewal();
    });

    it("deletes the registration's objects when the local stack drops it", async () => {
        await configure({ register: false, sharedObjects: "delete" });
        await up();
        expect(exists(admin, ["serviceaccount", "-n", JOBS, SA])).toBe(false);
        expect(exists(admin, ["role", "-n", JOBS, "kubevirt-prow-workloads-pods"])).toBe(false);
        const phase = exists(admin, ["namespace", JOBS])
            ? kubectl(admin, ["get", "namespace", JOBS, "-o", "jsonpath={.status.phase}"])
            : "gone";
        expect(["gone", "Terminating"]).toContain(phase);
    });

    it("keeps, in ci's mode, what Prow depends on, and deletes Prow's secret only once unprotected", async () => {
        await configure({ register: true, sharedObjects: "retain" });
        await up();
        // Prow's secret, protected, takes a renewed token.
        await expectRenewal();
        await configure({ register: false, sharedObjects: "retain" });
        await expect(stack.up()).rejects.toThrow(/protected/);
        expect(exists(admin, ["secret", "-n", "kubevirt-prow", "kubeconfig"])).toBe(true);

        // The README's way: unprotect it, then let the stack delete it.
        const secret = (await stateResources(stack)).find((r) =>
            r.urn.endsWith("::prow-build-clusters-prow-kubeconfig"),
        )!;
        pulumiCli(stack, ["state", "unprotect", secret.urn, "--yes"]);
        await up();
        expect(exists(admin, ["secret", "-n", "kubevirt-prow", "kubeconfig"])).toBe(false);
        expect(kubectl(admin, ["get", "namespace", JOBS, "-o", "jsonpath={.status.phase}"])).toBe(
            "Active",
        );
        expect(exists(admin, ["serviceaccount", "-n", JOBS, SA])).toBe(true);
        expect(exists(admin, ["role", "-n", JOBS, "kubevirt-prow-workloads-pods"])).toBe(true);
        expect(exists(admin, ["rolebinding", "-n", JOBS, "kubevirt-prow-workloads-pods"])).toBe(
            true,
        );
        const left = (await stateResources(stack)).filter((r) => r.urn.includes("prow-workloads"));
        expect(left).toEqual([]);
    });
});
