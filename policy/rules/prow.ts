import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isCi, setting } from "./context";

const HA_CONTROL_PLANE = 3;

export const prowHaControlPlane: StackValidationPolicy = {
    name: "prow-ha-control-plane",
    description: `Prow build clusters have ${HA_CONTROL_PLANE} or more control-plane nodes (prowBuildClusters).`,
    enforcementLevel: "mandatory",
    validateStack: (_args, report) => {
        for (const entry of setting<string[]>("prowBuildClusters")) {
            const m = /^([^=]+)=(\d+)$/.exec(entry);
            if (m && Number(m[2]) < HA_CONTROL_PLANE) {
                report(
                    `build cluster ${m[1]} has ${m[2]} control-plane nodes (prowBuildClusters): at least ${HA_CONTROL_PLANE}`,
                );
            }
        }
    },
};

/**
 * In ci, what Prow shares with the stack (components/prow/lifecycle.ts) must survive its
 * deletion. The engine sends analyzers `protect` but not `retainOnDelete`, so this sees the
 * protected kubeconfig secret (guardedForProw); the retained objects (outlivesStack) it cannot.
 */
export const prowSharedObjectsGuarded: ResourceValidationPolicy = {
    name: "prow-shared-objects-protected",
    description: "In ci, Prow's kubeconfig secret on its service cluster is protected.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const prowSecret =
            args.type === "kubernetes:core/v1:Secret" &&
            (args.opts.parent ?? "").includes("BuildClusterRegistration") &&
            args.name.endsWith("-prow-kubeconfig");
        if (prowSecret && isCi() && !args.opts.protect) {
            report(
                "Prow's kubeconfig secret is not protected: deleting the stack would take it from Prow",
            );
        }
    },
};
