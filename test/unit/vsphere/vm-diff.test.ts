import { classifyVmDiff } from "../../../providers/vsphere/vm-diff";
import { vmInputs, vmOutputs } from "./fixtures";

describe("VM diff", () => {
    it("sees no change when nothing changed", () => {
        expect(classifyVmDiff(vmOutputs(), vmInputs())).toMatchObject({
            changes: false,
            replaces: [],
        });
    });

    it.each([
        [{ powerState: "off" as const }, "powerState"],
        [{ cpus: 4 }, "cpus"],
        [{ memoryMiB: 8192 }, "memoryMiB"],
        [{ labels: { "prow-job": "other" } }, "labels"],
        [{ expiresAt: "2030-01-01T00:00:00Z" }, "expiresAt"],
        [{ network: "/SDDC-Datacenter/network/sddc-cgw-network-2" }, "network"],
        [{ diskGiB: 40 }, "diskGiB"],
        [{ password: "rotated" }, "password"],
    ])("changes %j in place", (change, property) => {
        const d = classifyVmDiff(vmOutputs(), vmInputs(change));
        expect(d.changes).toBe(true);
        expect(d.replaces).toEqual([]);
        expect(d.changed).toContain(property);
    });

    it.each([
        [{ template: "/SDDC-Datacenter/vm/Workloads/ubuntu-2204-kube-v1.29.0" }, "template"],
        [{ datastore: "/SDDC-Datacenter/datastore/WorkloadDatastore-2" }, "datastore"],
        [{ folder: "/SDDC-Datacenter/vm/other" }, "folder"],
        [{ name: "jump-2" }, "name"],
        [{ userData: "#cloud-config\n" }, "userData"],
        [{ addressIndex: 3 }, "addressIndex"],
    ])("replaces on %j, deleting first (the name is taken)", (change, property) => {
        const d = classifyVmDiff(vmOutputs(), vmInputs(change));
        expect(d.replaces).toEqual([property]);
        expect(d.deleteBeforeReplace).toBe(true);
    });

    it("replaces on a shrinking disk, which vSphere cannot do", () => {
        const d = classifyVmDiff(vmOutputs({ diskGiB: 40 }), vmInputs({ diskGiB: 20 }));
        expect(d.replaces).toEqual(["diskGiB"]);
    });

    it("replaces on another vCenter, updates on new credentials", () => {
        const other = vmInputs();
        other.session = { ...other.session, server: "other:443" };
        expect(classifyVmDiff(vmOutputs(), other).replaces).toEqual(["session"]);
        const user = vmInputs();
        user.session = { ...user.session, username: "someone" };
        expect(classifyVmDiff(vmOutputs(), user)).toMatchObject({ changes: true, replaces: [] });
    });

    it("sees what was done by hand in the read-back state: power, size, annotation", () => {
        expect(classifyVmDiff(vmOutputs({ powerState: "off" }), vmInputs()).changed).toEqual([
            "powerState",
        ]);
        expect(classifyVmDiff(vmOutputs({ cpus: 8 }), vmInputs()).changed).toEqual(["cpus"]);
        expect(classifyVmDiff(vmOutputs({ annotation: "edited" }), vmInputs()).changed).toEqual([
            "labels",
        ]);
    });
});
