/**
 * The policy pack (policy/) under the real engine, started through this project's language host
 * (RunPlugin): each rule fires on the policy program's stack that breaks it, none on the one that
 * keeps them, nor on the local stack's preview.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, PolicyEvent, Stack } from "@pulumi/pulumi/automation";
import { removeStackWithBackups } from "../../run/remove-stack";
import { POLICY_PACK } from "../../run/policy";
import { createStack, ROOT, uniqueStackName } from "../support/harness";
import { CI_DEVSTACK_CONFIG } from "../support/ci-devstack";
import { recorded, settle, setupMocks, urnOf } from "../support/mocks";

const PROGRAM = path.join(ROOT, "test/integration/policy-program");
const PASSPHRASE = { PULUMI_CONFIG_PASSPHRASE: process.env.K8S_CI_ENVS_LOCAL_PASSPHRASE! };

/** A stack of the policy program (not the project), configured as a ci run. */
async function programStack(name: string, config: Record<string, string>): Promise<Stack> {
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: name, workDir: PROGRAM },
        { envVars: PASSPHRASE },
    );
    await stack.setAllConfig(
        Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { value: v }])),
    );
    return stack;
}

async function removeProgramStack(stack: Stack): Promise<void> {
    await stack.workspace.removeStack(stack.name);
    fs.rmSync(path.join(PROGRAM, `Pulumi.${stack.name}.yaml`), { force: true });
}

/** Previews `stack` with the pack: whether it passed, and the pack's mandatory findings. */
async function previewWithPack(
    stack: Stack,
): Promise<{ passed: boolean; findings: PolicyEvent[] }> {
    const findings: PolicyEvent[] = [];
    let passed = true;
    try {
        await stack.preview({
            policyPacks: [POLICY_PACK],
            onEvent: (e) => {
                if (e.policyEvent?.enforcementLevel === "mandatory") {
                    findings.push(e.policyEvent);
                }
            },
        });
    } catch {
        passed = false;
    }
    return { passed, findings };
}

/** The pack finds nothing mandatory on `stack`, and its preview passes. */
async function expectPasses(stack: Stack): Promise<void> {
    const { passed, findings } = await previewWithPack(stack);
    expect(found(findings)).toEqual([]);
    expect(passed).toBe(true);
}

const found = (findings: PolicyEvent[]) =>
    findings.map((f) => `${f.policyName} ${f.resourceUrn?.split("::").pop() ?? ""}`).sort();

describe("policy pack", () => {
    const run = uniqueStackName("policy").replace(/^local-it-/, "");

    test("every rule fires on a ci stack that breaks it, before anything is created", async () => {
        const stack = await programStack(`${run}-bad`, {
            "k8s-ci-envs:composition": "ci",
            "k8s-ci-envs:prowBuildClusters": JSON.stringify([
                "prow-workloads=1",
                "prow-arm64-workloads=3",
            ]),
        });
        try {
            const { passed, findings } = await previewWithPack(stack);
            expect(passed).toBe(false);
            const stackUrn = `policy-program-${run}-bad`;
            expect(found(findings)).toEqual(
                [
                    "devstack-vcpu-quota " + stackUrn,
                    "ingress-documented-ports ssh",
                    "no-plaintext-credentials vm",
                    "prow-ha-control-plane " + stackUrn,
                    "prow-shared-objects-protected registration-prow-kubeconfig",
                    "run-labels controller",
                    "run-labels network",
                    "run-labels vm",
                    "vm-folder-and-pool vm",
                ].sort(),
            );
            const message = (name: string) =>
                findings.find((f) => f.policyName === name)?.message ?? "";
            expect(message("prow-ha-control-plane")).toMatch(
                /prow-workloads has 1 control-plane nodes/,
            );
            expect(message("prow-ha-control-plane")).not.toMatch(/prow-arm64-workloads/);
            expect(message("devstack-vcpu-quota")).toMatch(/need 40 vCPUs .* over the quota of 24/);
            expect(message("ingress-documented-ports")).toMatch(/opens tcp 3306 to the world/);
            expect(message("no-plaintext-credentials")).toMatch(
                /plaintext credential inputs: password/,
            );
            expect(message("vm-folder-and-pool")).toMatch(
                /folder is "elsewhere", not the run's "clusterapi"/,
            );
            expect((await stack.history()).length).toBe(0); // a failed preview records no update
        } finally {
            await removeProgramStack(stack);
        }
    }, 180_000);

    test("a ci stack that keeps the rules passes", async () => {
        const stack = await programStack(`${run}-good`, { "k8s-ci-envs:composition": "ci" });
        try {
            await expectPasses(stack);
        } finally {
            await removeProgramStack(stack);
        }
    }, 180_000);

    test("the ci stack's DevStack, as the program registers it under mocks, passes", async () => {
        const name = `${run}-ci`;
        // The run of test/unit/ci-stack.test.ts, recorded, then replayed under the real engine.
        await setupMocks({ stack: name, config: CI_DEVSTACK_CONFIG });
        try {
            await import("../../index");
        } finally {
            await settle();
        }
        const resources = recorded
            .filter((r) => !r.type.startsWith("pulumi:providers:"))
            .map((r) => ({ ...r, urn: urnOf(r) }));
        expect(resources.filter((r) => r.type.startsWith("gcp:")).length).toBeGreaterThan(8);
        const file = path.join(
            fs.mkdtempSync(path.join(os.tmpdir(), "policy-ci-")),
            "recorded.json",
        );
        fs.writeFileSync(file, JSON.stringify(resources));
        const stack = await programStack(name, {
            "k8s-ci-envs:composition": "ci",
            "policy-program:replay": file,
        });
        try {
            await expectPasses(stack);
        } finally {
            await removeProgramStack(stack);
            fs.rmSync(path.dirname(file), { recursive: true, force: true });
        }
    }, 180_000);

    test("the local stack's preview passes", async () => {
        const stack = await createStack(uniqueStackName("policy"));
        try {
            await expectPasses(stack);
        } finally {
            removeStackWithBackups(stack);
        }
    }, 300_000);
});
