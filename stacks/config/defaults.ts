import { DEFAULT_DEVSTACK } from "../../components/devstack/settings";
import { BOOTSTRAP_IMAGE, DEFAULT_JOB } from "../../components/prow/jobs";
import { DEFAULT_PROW } from "../../components/prow/settings";
import { DEFAULT_MODEL } from "../../providers/vcsim/model";
import {
    DEFAULT_CI_COMMAND,
    DEFAULT_CI_IMAGE,
    DEFAULT_CI_TIMEOUT_SECONDS,
} from "../../components/vmc/names";

/** The project name, which namespaces every configuration key (`k8s-ci-envs:<key>`). */
export const PROJECT = "k8s-ci-envs";

/**
 * Every key of the project with its default, as Pulumi.yaml's `config` block declares them (a
 * unit test keeps the two equal). An empty string means "not set": required, or derived.
 */
export const DEFAULTS = {
    composition: "local",
    outputDir: "out",
    // who the run is, for janitors (the CI entry point sets them from Prow's environment)
    jobName: "",
    buildId: "",
    prowJobId: "",
    pullNumber: "",
    runTtlHours: 24,
    // local: the simulated vCenter
    vcsimVsphereVersion: DEFAULT_MODEL.vsphereVersion,
    vcsimDatacenters: DEFAULT_MODEL.datacenters,
    vcsimClusters: DEFAULT_MODEL.clusters,
    vcsimHostsPerCluster: DEFAULT_MODEL.hostsPerCluster,
    vcsimResourcePools: DEFAULT_MODEL.resourcePools,
    vcsimDatastores: DEFAULT_MODEL.datastores,
    vcsimInventoryNames: DEFAULT_MODEL.inventoryNames,
    vcsimTemplates: DEFAULT_MODEL.templates,
    vcsimContentLibrary: DEFAULT_MODEL.contentLibrary,
    envVarMode: "govmomi",
    controlPlaneEndpointPorts: "20000-24000",
    // the limited supervisor: vcsim controller, vm-operator, net-operator, their dependencies
    supervisor: true,
    vcsimControllerImage: "gcr.io/k8s-staging-capi-vsphere/cluster-api-vcsim-controller:main",
    vcsimControllerArgs: ["--v=2", "--logging-format=json"],
    vcsimControllerResources: true,
    vmOperatorManifest: "",
    vmOperatorManifestSha256: "",
    netOperatorImage: "gcr.io/k8s-staging-capi-vsphere/cluster-api-net-operator:main",
    supervisorConnection: false,
    supervisorSimulator: true,
    supervisorStorageClasses: ["vcsim-default-storage-class=vSAN Default Storage Policy"],
    supervisorVmClasses: ["vcsim-default-vm-class=2,4G"],
    supervisorContentLibrary: "vm-operator-images",
    supervisorLibraryItems: [] as string[],
    // the workload cluster
    clusterName: "cluster1",
    clusterNamespace: "default",
    kubernetesVersion: "v1.28.0",
    controlPlaneMachineCount: 1,
    workerMachineCount: 1,
    powerOffMode: "trySoft",
    clusterDatacenter: 0,
    clusterComputeCluster: 0,
    clusterDatastore: 0,
    // KubeVirt's Prow build clusters and KubeVirtCI's external provider (local: fixture clusters)
    prowBuildClusters: ["prow-workloads=3", "prow-arm64-workloads=3", "prow-s390x-workloads=3"],
    prowDefaultCluster: "",
    prowJobsNamespace: DEFAULT_PROW.jobsNamespace,
    prowNamespace: DEFAULT_PROW.prowNamespace,
    prowKubeconfigSecret: DEFAULT_PROW.kubeconfigSecret,
    prowKubeconfigSecretKey: DEFAULT_PROW.kubeconfigSecretKey,
    kubevirtciClusters: ["prow-workloads", "prow-arm64-workloads", "prow-s390x-workloads"],
    kubevirtciSecret: DEFAULT_PROW.externalSecret,
    kubevirtciJobs: [] as string[],
    kubevirtciImage: BOOTSTRAP_IMAGE,
    kubevirtciJobType: DEFAULT_JOB.type,
    kubevirtciJobRepo: DEFAULT_JOB.repo,
    kubevirtciJobCron: DEFAULT_JOB.cron,
    kubevirtciJobCommand: DEFAULT_JOB.command,
    gpgPublicKey: "",
    gpgRecipient: "99F7C0D2E1BB8025",
    // ci
    ciEnvironments: ["vmc", "devstack", "prow"],
    // ci, vmc: the VMC vCenter
    vsphereServer: "",
    vsphereUsername: "",
    vsphereTlsThumbprint: "",
    vsphereDatacenter: "SDDC-Datacenter",
    vsphereDatastore: "WorkloadDatastore",
    vsphereNetwork: "sddc-cgw-network-5",
    vsphereFolder: "clusterapi",
    vsphereResourcePool: "clusterapi",
    vsphereTemplate: "ubuntu-2204-kube-v1.28.0",
    vsphereIpPool: "",
    // vmc (both compositions): CAPV's CI on VMC, the seed's jump host, bootstrap cluster and CI Job
    vmcCiImage: DEFAULT_CI_IMAGE,
    vmcCiCommand: DEFAULT_CI_COMMAND,
    vmcCiJobTimeoutSeconds: DEFAULT_CI_TIMEOUT_SECONDS,
    vmcCiSecretNamespace: "default",
    vmcProviderComponentSpec: "",
    vmcLocalJobExitCode: 0,
    // ci, devstack: GCP and the DevStack
    gcpProject: "",
    gcpProjectLeased: DEFAULT_DEVSTACK.projectLeased,
    gcpRegion: DEFAULT_DEVSTACK.region,
    gcpZone: "",
    gcpWorkerZone: "",
    gcpZones: [] as string[],
    devstackName: DEFAULT_DEVSTACK.name,
    openstackRelease: DEFAULT_DEVSTACK.openstackRelease,
    devstackPrivateCidr: DEFAULT_DEVSTACK.privateCidr,
    devstackFloatingRange: DEFAULT_DEVSTACK.floatingRange,
    devstackControllerIp: "",
    devstackWorkerIp: "",
    devstackPrimaryAz: DEFAULT_DEVSTACK.primaryAz,
    devstackSecondaryAz: DEFAULT_DEVSTACK.secondaryAz,
    devstackControllerMachineType: DEFAULT_DEVSTACK.controllerMachineType,
    devstackWorkerMachineType: DEFAULT_DEVSTACK.workerMachineType,
    devstackMinCpuPlatform: DEFAULT_DEVSTACK.minCpuPlatform,
    devstackVcpuQuota: DEFAULT_DEVSTACK.vcpuQuota,
    devstackBootImage: DEFAULT_DEVSTACK.bootImage,
    devstackBootDiskSizeGb: DEFAULT_DEVSTACK.bootDiskSizeGb,
    devstackBootDiskType: DEFAULT_DEVSTACK.bootDiskType,
    devstackSourceRanges: DEFAULT_DEVSTACK.sourceRanges,
    devstackAdditionalServices: DEFAULT_DEVSTACK.additionalServices,
    devstackSshuttleVersion: DEFAULT_DEVSTACK.sshuttleVersion,
    devstackImages: DEFAULT_DEVSTACK.images,
};

export type Key = keyof typeof DEFAULTS;

/** Configuration keys that hold credentials: set them with `pulumi config set --secret`. */
export const SECRET_KEYS = [
    "vspherePassword",
    "prowKubeconfigs",
    "kubevirtciKubeconfigs",
    "prowServiceKubeconfig",
    "vmcCiSecret",
    "vmcProwKubeconfig",
    "supervisorKubeconfig",
];
