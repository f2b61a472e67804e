/**
 * Resources of the types the policy pack checks: stack "…-bad" breaks every rule, any other
 * stack keeps them all.
 */
import * as pulumi from "@pulumi/pulumi";
import { Probe } from "./probe";

export function examples(): void {
    const bad = pulumi.getStack().endsWith("-bad");
    const stackLabel = pulumi.getStack().toLowerCase();
    const labels = {
        "created-by": "k8s-ci-envs",
        "k8s-ci-envs-stack": stackLabel,
        "ttl-hours": "4",
    };
    const description = Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");

    new Probe("gcp:compute/instance:Instance", "controller", {
        machineType: bad ? "n2-standard-32" : "n2-standard-16",
        labels: bad ? { "created-by": "k8s-ci-envs" } : labels,
    });
    new Probe("gcp:compute/instance:Instance", "worker", { machineType: "n2-standard-8", labels });
    new Probe("gcp:compute/firewall:Firewall", "ssh", {
        description,
        sourceRanges: ["0.0.0.0/0"],
        allows: [{ protocol: "tcp", ports: bad ? ["22", "3306"] : ["22"] }],
    });
    new Probe("gcp:compute/network:Network", "network", { description: bad ? "" : description });
    new Probe("pulumi-nodejs:dynamic/vsphere:VirtualMachine", "vm", {
        folder: bad ? "elsewhere" : "clusterapi",
        resourcePool: "clusterapi",
        labels: bad ? { "k8s-ci-envs-stack": stackLabel } : labels,
        password: bad ? "hunter2" : pulumi.secret("hunter2"),
    });
    const registration = new Probe("k8s-ci-envs:prow:BuildClusterRegistration", "registration", {});
    new Probe(
        "kubernetes:core/v1:Secret",
        "registration-prow-kubeconfig",
        { stringData: { kubeconfig: pulumi.secret("apiVersion: v1") } },
        { parent: registration, protect: !bad },
    );
}
