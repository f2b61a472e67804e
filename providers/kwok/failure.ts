/**
 * How a local cluster makes a pod fail: kwok's chaos stage `pod-container-running-failed`
 * (loaded with the other stages) selects running pods carrying this label, and ends their
 * containers with the exit code and reason in these annotations.
 */
const STAGE = "pod-container-running-failed.stage.kwok.x-k8s.io";

export const FAILING_POD_LABEL = STAGE;

/** Labels and annotations that make a pod (or a Job's pod template) fail once it runs. */
export function failingPodMetadata(exitCode: number, reason: string) {
    return {
        labels: { [FAILING_POD_LABEL]: "true" },
        annotations: {
            [`${STAGE}/exit-code`]: String(exitCode),
            [`${STAGE}/reason`]: reason,
        },
    };
}
