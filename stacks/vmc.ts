import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LocalKubernetes } from "../components/local";
import { gcpLabels, RunIdentity } from "../components/run-identity";
import {
    BootstrapCluster,
    CiJob,
    CiSecretTransfer,
    JumpHost,
    jumpHostVmName,
    localOuterSecret,
    OuterSecretValues,
} from "../components/vmc";
import { failingPodMetadata } from "../providers/kwok";
import { VCenterConnection } from "../providers/vsphere/connection";
import { VCenterSettings, VmcSettings } from "./config";
import { parseCiSecret } from "./config/vmc";

/** Labels of the Kubernetes objects CAPV's CI makes. */
const K8S_LABELS = {
    "app.kubernetes.io/managed-by": "k8s-ci-envs",
    "app.kubernetes.io/part-of": "cluster-api-provider-vsphere-ci",
};

/** Where the outer secret comes from, and what stands in for kind on the VM. */
type Side =
    { kind: "local"; bootstrap: LocalKubernetes; prowProvider: k8s.Provider } | { kind: "ci" };

interface VmcArgs {
    connection: VCenterConnection;
    template: pulumi.Input<string>;
    settings: VmcSettings;
    run: RunIdentity;
    side: Side;
    /** The configuration keys the VMs' inventory comes from, named when the vCenter refuses it. */
    inputSources?: Record<string, string>;
}

/**
 * CAPV's CI on VMC, as CAPV's e2e.sh flow: the jump host and the bootstrap cluster on the vCenter,
 * the outer secret read from Prow's side and transferred into the inner one on the bootstrap
 * cluster, and the CI Job there watched to its end. Local stands in the simulator for VMC, the
 * `bootstrap` cluster for kind on the VM, and Prow's service cluster (with an outer secret of
 * generated keys) for Prow's.
 */
function vmc(args: VmcArgs) {
    const s = args.settings;
    const common = {
        connection: args.connection,
        template: args.template,
        addressPool: s.addressPool,
        labels: gcpLabels(args.run),
        inputSources: args.inputSources,
    };
    const jumpHost = new JumpHost("vmc-jumphost", {
        ...common,
        vmName: jumpHostVmName(s.context),
        addressIndex: 0,
    });
    const side = args.side;
    const bootstrap = new BootstrapCluster("vmc-bootstrap", {
        ...common,
        context: s.context,
        jumpHost,
        addressIndex: 1,
        standIn:
            side.kind === "local"
                ? { kubeconfig: side.bootstrap.kubeconfig, provider: side.bootstrap.provider }
                : undefined,
    });

    const {
        prowSecret,
        ...source
    }: ReturnType<typeof outerSecretSource> & {
        prowSecret?: pulumi.Output<string>;
    } = outerSecretSource(args, jumpHost, bootstrap);
    const transfer = new CiSecretTransfer("vmc-ci-secret", {
        ...source,
        bootstrapProvider: bootstrap.provider,
        bootstrapKubeconfig: bootstrap.kubeconfig,
        providerComponentSpec: s.providerComponentSpec,
        labels: K8S_LABELS,
    });
    const job = new CiJob("vmc-ci-job", {
        provider: bootstrap.provider,
        kubeconfig: bootstrap.kubeconfig,
        secretName: transfer.secretName,
        image: s.ciImage,
        command: s.ciCommand,
        timeoutSeconds: s.ciTimeoutSeconds,
        labels: K8S_LABELS,
        podMetadata:
            side.kind === "local" && s.localJobExitCode !== 0
                ? failingPodMetadata(s.localJobExitCode, "CiJobFailed")
                : undefined,
        redactions: pulumi.secret(
            pulumi
                .all([args.connection.password, transfer.outer])
                .apply(([password, outer]) => [password, ...Object.values(outer)]),
        ),
    });
    return {
        vmcJumpHostAddress: jumpHost.address,
        vmcBootstrapVm: bootstrap.vmName,
        vmcBootstrapAddress: bootstrap.address,
        vmcBootstrapKubeconfig: bootstrap.kubeconfig,
        vmcCiSecret: pulumi.interpolate`${transfer.inner.metadata.namespace}/${transfer.secretName}`,
        vmcCiJob: pulumi.interpolate`${job.namespace}/${job.jobName}`,
        vmcCiJobSucceeded: job.succeeded,
        ...(prowSecret ? { vmcProwSecret: prowSecret } : {}),
    };
}

/**
 * The outer secret's source. Local: made on Prow's service cluster from the VMs' keys, a
 * generated target-VM key and the simulator's credentials, then read back from there. CI: the
 * Prow-side cluster's (vmcProwKubeconfig), or configuration's (vmcCiSecret).
 */
function outerSecretSource(args: VmcArgs, jumpHost: JumpHost, bootstrap: BootstrapCluster) {
    const s = args.settings;
    if (args.side.kind === "local") {
        return localOuterSecret("vmc", {
            connection: args.connection,
            jumpHost,
            bootstrap,
            prowProvider: args.side.prowProvider,
            namespace: s.prowSecretNamespace,
            labels: K8S_LABELS,
        });
    }
    if (s.prowKubeconfig !== undefined) {
        const provider = new k8s.Provider("vmc-prow", { kubeconfig: s.prowKubeconfig });
        return { prow: { provider, namespace: s.prowSecretNamespace } };
    }
    return { values: s.ciSecret!.apply((text) => parseCiSecret(text) as OuterSecretValues) };
}

/** The local stack's CAPV CI: on the simulator, the bootstrap cluster and Prow's stand-in. */
export function localVmc(
    settings: { vmc?: VmcSettings; run: RunIdentity },
    connection: VCenterConnection,
    bootstrap: LocalKubernetes,
    prowProvider: k8s.Provider,
) {
    return vmc({
        connection: { ...connection, simulatedGuestAddresses: true },
        template: pulumi.output(connection.templates).apply((t) => t[0]),
        settings: settings.vmc!,
        run: settings.run,
        side: { kind: "local", bootstrap, prowProvider },
    });
}

/** The configured vCenter as the components reach it: its one template as their templates. */
export function vcenterConnection(vcenter: VCenterSettings): VCenterConnection {
    const { template, ...placement } = vcenter;
    return { ...placement, templates: [template] };
}

/** The ci stack's CAPV CI, when ciEnvironments lists vmc: on the configured vCenter (VMC, GCVE). */
export function ciVmc(settings: {
    vmc?: VmcSettings;
    vcenter?: VCenterSettings;
    run: RunIdentity;
}) {
    const vcenter = settings.vcenter;
    if (settings.vmc === undefined || vcenter === undefined) {
        return {};
    }
    return vmc({
        connection: vcenterConnection(vcenter),
        template: vcenter.template,
        settings: settings.vmc,
        run: settings.run,
        side: { kind: "ci" },
        inputSources: {
            template: "vsphereTemplate",
            datastore: "vsphereDatastore",
            network: "vsphereNetwork",
            folder: "vsphereFolder",
            resourcePool: "vsphereResourcePool",
            addressPool: "vsphereIpPool",
        },
    });
}
