/**
 * Proof that a local cluster's controllers work, not only that their processes answer: the
 * stack relies on the controller-manager's service-account and Job controllers, on the
 * scheduler, and on kwok playing the pods.
 */
import { controllerManagerProblem } from "../jobs/controller-manager";
import { DEFAULT_SERVICE_ACCOUNT_MAKER } from "../jobs/liveness";

const PROBE_JOB = "k8s-ci-envs-controller-check";
const NAMESPACE = "kube-system";

type Kubectl = (args: string[], input?: string) => Promise<string>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function probeJob(): object {
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: PROBE_JOB, namespace: NAMESPACE },
        spec: {
            backoffLimit: 0,
            template: {
                spec: {
                    restartPolicy: "Never",
                    tolerations: [{ operator: "Exists" }],
                    containers: [{ name: "check", image: "registry.k8s.io/pause:3.10" }],
                },
            },
        },
    };
}

interface ProbePod {
    spec?: { nodeName?: string };
    status?: { phase?: string };
}

/** Which controller left the probe Job where it is: the reason it did not complete. */
export function missingController(pods: ProbePod[]): string {
    if (pods.length === 0) {
        return "kube-controller-manager's Job controller created no pod for it";
    }
    if (pods.every((p) => !p.spec?.nodeName)) {
        return "kube-scheduler scheduled none of its pods";
    }
    return `kwok-controller did not complete its pod (phase ${pods.map((p) => p.status?.phase ?? "none").join(", ")})`;
}

/**
 * Waits for the namespace's `default` service account, without which no pod can be made in it
 * (nor a token minted for it); fails naming the controller that makes it, and whether any
 * kube-controller-manager runs at all (its leader lease).
 */
export async function waitForDefaultServiceAccount(
    kubectl: Kubectl,
    namespace: string,
    timeoutMs: number,
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (
        (await kubectl(["get", "serviceaccounts", "--namespace", namespace, "-o", "name"]))
            .split("\n")
            .every((l) => l.trim() !== "serviceaccount/default")
    ) {
        if (Date.now() > deadline) {
            const down = await controllerManagerProblem(kubectl, Date.now(), "the cluster");
            throw new Error(
                `namespace ${namespace} has no default service account after ${Math.round(timeoutMs / 1000)} s: ` +
                    `${DEFAULT_SERVICE_ACCOUNT_MAKER}, has not made it${down ? `: ${down}` : ""}`,
            );
        }
        await sleep(500);
    }
}

/**
 * Waits for the `default` service account (made by the controller-manager's service-account
 * controller), then runs a Job to completion; fails naming the controller that did not act.
 */
export async function proveControllers(kubectl: Kubectl, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(1, Math.round((deadline - Date.now()) / 1000));
    await waitForDefaultServiceAccount(kubectl, "default", timeoutMs);
    await kubectl(["apply", "-f", "-"], JSON.stringify(probeJob()));
    try {
        await kubectl([
            "wait",
            "--namespace",
            NAMESPACE,
            "--for=condition=Complete",
            `--timeout=${left()}s`,
            "--",
            `job/${PROBE_JOB}`,
        ]);
    } catch (err) {
        const pods = JSON.parse(
            await kubectl([
                "get",
                "pods",
                "--namespace",
                NAMESPACE,
                "--selector",
                `job-name=${PROBE_JOB}`,
                "-o",
                "json",
            ]),
        ) as { items: ProbePod[] };
        throw new Error(
            `the check Job ${NAMESPACE}/${PROBE_JOB} did not complete: ${missingController(pods.items)} (${(err as Error).message.split("\n").pop()})`,
        );
    }
    await kubectl([
        "delete",
        "job",
        "--namespace",
        NAMESPACE,
        "--cascade=background",
        "--wait=false",
        "--",
        PROBE_JOB,
    ]);
}
