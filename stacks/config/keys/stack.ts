import { KeySpec } from "./spec";

/** What the stack builds, where it writes, and who the run is (for janitors). */
export const STACK_SPECS = {
    composition: {
        type: "string",
        default: "local",
        description:
            "What the stack builds: local (simulated vCenter, rendered manifests) or ci (VMC, GCP, Prow's clusters).",
    },
    outputDir: {
        type: "string",
        default: "out",
        description:
            "Folder, relative to the project, holding each stack's folder (<outputDir>/<stack>) of files the stack writes.",
    },
    jobName: {
        type: "string",
        default: "",
        description: "Prow's JOB_NAME, labeled on every cloud object.",
    },
    buildId: {
        type: "string",
        default: "",
        description: "Prow's BUILD_ID, labeled on every cloud object.",
    },
    prowJobId: {
        type: "string",
        default: "",
        description: "Prow's PROW_JOB_ID, labeled on every cloud object.",
    },
    pullNumber: {
        type: "string",
        default: "",
        description: "Prow's PULL_NUMBER (presubmits only), labeled on every cloud object.",
    },
    runTtlHours: {
        type: "integer",
        default: 24,
        description: "Hours after which a janitor may delete the run's cloud objects (1-720).",
    },
    ciEnvironments: {
        type: "array",
        default: ["vmc", "devstack", "prow"],
        description:
            "Families the ci stack builds: vmc (CAPV's VMC vCenter), devstack (CAPO's DevStack on GCP), prow (KubeVirt's build clusters).",
    },
} satisfies Record<string, KeySpec>;
