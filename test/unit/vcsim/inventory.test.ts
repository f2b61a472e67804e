import {
    DEFAULT_MODEL,
    planInventory,
    processModel,
    shapingCommands,
    SimulatorModel,
    templateCommands,
} from "../../../providers/vcsim";
import { datastoreDirs } from "../../../providers/vcsim/inventory";

const model = (overrides: Partial<SimulatorModel>): SimulatorModel => ({
    ...DEFAULT_MODEL,
    ...overrides,
});

describe("planInventory", () => {
    it("names a default VMC-shaped inventory as CAPV's Prow CI saw it", () => {
        const [dc] = planInventory(DEFAULT_MODEL).datacenters;
        expect(dc).toEqual({
            name: "SDDC-Datacenter",
            path: "/SDDC-Datacenter",
            clusters: [
                {
                    path: "/SDDC-Datacenter/host/Cluster-1",
                    resourcePool: "/SDDC-Datacenter/host/Cluster-1/Resources/Compute-ResourcePool",
                },
            ],
            extraPools: [],
            datastores: ["/SDDC-Datacenter/datastore/WorkloadDatastore"],
            network: "/SDDC-Datacenter/network/sddc-cgw-network-1",
            folder: "/SDDC-Datacenter/vm/Workloads",
            templates: DEFAULT_MODEL.templates.map((t) => `/SDDC-Datacenter/vm/Workloads/${t}`),
        });
    });

    it("uses vcsim's own names (DC0, DC0_C0, LocalDS_0, VM Network)", () => {
        const inventory = planInventory(
            model({
                inventoryNames: "vcsim",
                datacenters: 2,
                clusters: 2,
                resourcePools: 1,
                datastores: 2,
            }),
        );
        const dc1 = inventory.datacenters[1];
        expect(dc1.path).toBe("/DC1");
        expect(dc1.clusters.map((c) => c.path)).toEqual(["/DC1/host/DC1_C0", "/DC1/host/DC1_C1"]);
        expect(dc1.clusters[1].resourcePool).toBe("/DC1/host/DC1_C1/Resources");
        expect(dc1.extraPools).toEqual([
            "/DC1/host/DC1_C0/Resources/DC1_C0_RP1",
            "/DC1/host/DC1_C1/Resources/DC1_C1_RP1",
        ]);
        expect(dc1.datastores).toEqual(["/DC1/datastore/LocalDS_0", "/DC1/datastore/LocalDS_1"]);
        expect(dc1.network).toBe("/DC1/network/VM Network");
        expect(dc1.folder).toBe("/DC1/vm");
    });

    it("suffixes further VMC datacenters, clusters, datastores and pools", () => {
        const dc = planInventory(
            model({ datacenters: 2, clusters: 2, datastores: 2, resourcePools: 1 }),
        ).datacenters[1];
        expect(dc.name).toBe("SDDC-Datacenter-2");
        expect(dc.clusters.map((c) => c.path)).toEqual([
            "/SDDC-Datacenter-2/host/Cluster-1",
            "/SDDC-Datacenter-2/host/Cluster-2",
        ]);
        expect(dc.datastores[1]).toBe("/SDDC-Datacenter-2/datastore/WorkloadDatastore-2");
        expect(dc.extraPools[0]).toBe(
            "/SDDC-Datacenter-2/host/Cluster-1/Resources/Compute-ResourcePool-2",
        );
    });
});

describe("shaping a fresh simulator", () => {
    it("leaves vcsim names as the simulator makes them", () => {
        const m = model({ inventoryNames: "vcsim", resourcePools: 2, datastores: 3 });
        expect(shapingCommands(m, "/ds")).toEqual([]);
        expect(processModel(m)).toMatchObject({ pools: 2, datastores: 3 });
    });

    it("renames and creates what vcsim cannot rename, for VMC names", () => {
        const m = model({ hostsPerCluster: 2 });
        expect(processModel(m)).toMatchObject({ pools: 0, datastores: 0 });
        expect(shapingCommands(m, "/stack/ds")).toEqual([
            ["object.rename", "--", "/DC0", "SDDC-Datacenter"],
            ["object.rename", "--", "/SDDC-Datacenter/host/DC0_C0", "Cluster-1"],
            [
                "datastore.create",
                "-dc",
                "SDDC-Datacenter",
                "-type",
                "local",
                "-name",
                "WorkloadDatastore",
                "-path",
                "/stack/ds/SDDC-Datacenter-WorkloadDatastore",
                "--",
                "/SDDC-Datacenter/host/Cluster-1/DC0_C0_H0",
                "/SDDC-Datacenter/host/Cluster-1/DC0_C0_H1",
            ],
            [
                "dvs.portgroup.add",
                "-dc",
                "SDDC-Datacenter",
                "-dvs",
                "/SDDC-Datacenter/network/DVS0",
                "--",
                "sddc-cgw-network-1",
            ],
            [
                "pool.create",
                "-dc",
                "SDDC-Datacenter",
                "--",
                "/SDDC-Datacenter/host/Cluster-1/Resources/Compute-ResourcePool",
            ],
            ["folder.create", "-dc", "SDDC-Datacenter", "--", "/SDDC-Datacenter/vm/Workloads"],
        ]);
        expect(datastoreDirs(m, "/stack/ds")).toEqual([
            "/stack/ds/SDDC-Datacenter-WorkloadDatastore",
        ]);
    });

    it("creates and marks every template in every datacenter", () => {
        const commands = templateCommands(model({ datacenters: 2 }));
        const marked = commands.filter((c) => c[0] === "vm.markastemplate").map((c) => c.at(-1));
        expect(marked).toEqual([
            ...DEFAULT_MODEL.templates.map((t) => `/SDDC-Datacenter/vm/Workloads/${t}`),
            ...DEFAULT_MODEL.templates.map((t) => `/SDDC-Datacenter-2/vm/Workloads/${t}`),
        ]);
    });
});
