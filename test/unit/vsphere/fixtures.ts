import { VmInputs, VmOutputs } from "../../../providers/vsphere/vm-model";

export function vmInputs(overrides: Partial<VmInputs> = {}): VmInputs {
    return {
        session: {
            server: "vcenter.example:443",
            username: "ci@vsphere.local",
            thumbprint: "AA:BB",
            datacenter: "SDDC-Datacenter",
            simulatedGuestAddresses: false,
        },
        password: "s3cret",
        name: "jump",
        template: "/SDDC-Datacenter/vm/Workloads/ubuntu-2204-kube-v1.28.0",
        folder: "/SDDC-Datacenter/vm/Workloads",
        resourcePool: "/SDDC-Datacenter/host/Cluster-1/Resources/Compute-ResourcePool",
        datastore: "/SDDC-Datacenter/datastore/WorkloadDatastore",
        network: "/SDDC-Datacenter/network/sddc-cgw-network-1",
        cpus: 2,
        memoryMiB: 4096,
        powerState: "on",
        labels: { "prow-job": "e2e" },
        addressIndex: 0,
        addressTimeoutSeconds: 300,
        inputSources: {},
        ...overrides,
    };
}

export function vmOutputs(overrides: Partial<VmOutputs> = {}): VmOutputs {
    return {
        ...vmInputs(),
        path: "/SDDC-Datacenter/vm/Workloads/jump",
        uuid: "5003e8b7-0000-0000-0000-000000000001",
        address: "10.0.0.5",
        annotation: "prow-job=e2e",
        ...overrides,
    };
}
