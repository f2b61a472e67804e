import {
    DEFAULT_CI_COMMAND,
    DEFAULT_CI_IMAGE,
    DEFAULT_CI_TIMEOUT_SECONDS,
} from "../../../components/vmc/names";
import { KeySpec } from "./spec";

/** vmc: CAPV's CI on VMC (CAPV's scripts/e2e): jump host, bootstrap cluster, CI secret, CI Job. */
export const VMC_SPECS = {
    vmcCiImage: {
        type: "string",
        default: DEFAULT_CI_IMAGE,
        description:
            "Image of the CI Job cluster-api-provider-vsphere-ci on the bootstrap cluster.",
        fills: "ciJob.image",
    },
    vmcCiCommand: {
        type: "array",
        default: DEFAULT_CI_COMMAND,
        description: "Command of the CI Job's container.",
        fills: "ciJob.command",
    },
    vmcCiJobTimeoutSeconds: {
        type: "integer",
        default: DEFAULT_CI_TIMEOUT_SECONDS,
        description:
            "How long up waits for the CI Job to end (10-86400); a Job still running then fails up.",
        fills: "ciJob.timeoutSeconds",
    },
    vmcCiSecretNamespace: {
        type: "string",
        default: "default",
        description:
            "Namespace of the outer secret clusterapi-provider-vsphere-ci-prow on the Prow side (local: the Prow service cluster).",
    },
    vmcProviderComponentSpec: {
        type: "string",
        default: "",
        description:
            "File (relative to the project) of CAPV's provider components, the inner secret's provider-component-spec; required in ci, a placeholder in local.",
    },
    vmcLocalJobExitCode: {
        type: "integer",
        default: 0,
        description:
            "local: when not 0, the CI Job's pods fail with this exit code (kwok plays them), and up fails with the Job's reason.",
    },
    vmcCiSecret: {
        secret: true,
        description:
            "ci: the outer secret's values, a JSON object of its nine keys; or else vmcProwKubeconfig.",
    },
    vmcProwKubeconfig: {
        secret: true,
        description:
            "ci: the kubeconfig of the Prow-side cluster holding the outer secret; or else vmcCiSecret.",
    },
} satisfies Record<string, KeySpec>;
