/**
 * The project's policy pack: the engine runs it on every preview and update that k8s-ci-run
 * makes (`pulumi preview --policy-pack policy/`). Each rule's test: test/integration/policy.test.ts.
 */
import { PolicyPack } from "@pulumi/policy";
import { noPlaintextCredentials } from "./rules/credentials";
import { devstackVcpuQuota, ingressDocumentedPorts } from "./rules/devstack";
import { runLabels } from "./rules/labels";
import { vmPlacement } from "./rules/placement";
import { prowHaControlPlane, prowSharedObjectsGuarded } from "./rules/prow";

new PolicyPack("k8s-ci-envs", {
    policies: [
        runLabels,
        noPlaintextCredentials,
        prowHaControlPlane,
        devstackVcpuQuota,
        ingressDocumentedPorts,
        vmPlacement,
        prowSharedObjectsGuarded,
    ],
});
