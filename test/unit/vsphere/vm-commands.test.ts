import { renderAnnotation } from "../../../providers/vsphere/annotation";
import { guestInfoEntries, renderMetadata } from "../../../providers/vsphere/guestinfo";
import {
    createCommand,
    guestInfoCommand,
    hardwareCommand,
    powerCommand,
    simulatedAddressCommand,
} from "../../../providers/vsphere/vm-commands";
import { importCommand } from "../../../providers/vsphere/library-item";
import { vmInputs } from "./fixtures";

describe("govc arguments", () => {
    it("clones a template powered off into the folder, pool, datastore and network", () => {
        expect(createCommand(vmInputs(), "note")).toEqual([
            "vm.clone",
            "-vm",
            "/SDDC-Datacenter/vm/Workloads/ubuntu-2204-kube-v1.28.0",
            "-folder",
            "/SDDC-Datacenter/vm/Workloads",
            "-pool",
            "/SDDC-Datacenter/host/Cluster-1/Resources/Compute-ResourcePool",
            "-ds",
            "/SDDC-Datacenter/datastore/WorkloadDatastore",
            "-net",
            "/SDDC-Datacenter/network/sddc-cgw-network-1",
            "-on=false",
            "-c",
            "2",
            "-m",
            "4096",
            "-annotation",
            "note",
            "--",
            "jump",
        ]);
    });

    it("deploys a library item into the folder, pool and datastore", () => {
        const vm = vmInputs({ template: undefined, libraryItem: "/vcsim/ubuntu" });
        expect(createCommand(vm, "")).toEqual([
            "library.deploy",
            "-folder",
            vm.folder,
            "-pool",
            vm.resourcePool,
            "-ds",
            vm.datastore,
            "--",
            "/vcsim/ubuntu",
            "jump",
        ]);
    });

    it("never puts credentials or user data on the command line", () => {
        const vm = vmInputs({ userData: "#cloud-config\ntoken: abc" });
        const commands = [
            createCommand(vm, "a"),
            guestInfoCommand("/dc/vm/jump", [{ key: "guestinfo.userdata", file: "/tmp/x/ud" }]),
            hardwareCommand("/dc/vm/jump", 2, 4096, "a"),
            powerCommand("/dc/vm/jump", "on"),
        ].flat();
        expect(commands.join(" ")).not.toMatch(/s3cret|token|ci@vsphere/);
    });

    it("sets guestinfo from files, base64-encoded as CAPV does", () => {
        expect(
            guestInfoCommand("/dc/vm/jump", [{ key: "guestinfo.userdata", file: "/tmp/x/ud" }]),
        ).toEqual([
            "vm.change",
            "-vm",
            "/dc/vm/jump",
            "-f",
            "guestinfo.userdata=/tmp/x/ud",
            "-e",
            "guestinfo.userdata.encoding=base64",
        ]);
        const [metadata, userData] = guestInfoEntries("m: 1", "#cloud-config");
        expect(metadata).toEqual({ key: "guestinfo.metadata", base64: "bTogMQ==" });
        expect(Buffer.from(userData.base64, "base64").toString()).toBe("#cloud-config");
        expect(guestInfoEntries("m: 1")).toHaveLength(1);
    });

    it("renders metadata for DHCP or a static address of the pool", () => {
        expect(JSON.parse(renderMetadata("jump"))).toEqual({
            "instance-id": "jump",
            "local-hostname": "jump",
            network: { version: 2, ethernets: { nics: { match: { name: "e*" }, dhcp4: true } } },
        });
        const pool = {
            addresses: ["192.168.35.0/28"],
            gateway: "192.168.32.1",
            prefix: 21,
            nameservers: ["8.8.8.8"],
        };
        expect(
            JSON.parse(renderMetadata("jump", { pool, index: 2 })).network.ethernets.nics,
        ).toEqual({
            match: { name: "e*" },
            addresses: ["192.168.35.2/21"],
            routes: [{ to: "0.0.0.0/0", via: "192.168.32.1" }],
            nameservers: { addresses: ["8.8.8.8"] },
        });
    });

    it("renders the annotation with sorted labels and the expiry", () => {
        expect(renderAnnotation({ b: "2", a: "1" }, "2030-01-01T00:00:00Z")).toBe(
            "a=1\nb=2\nexpires-at=2030-01-01T00:00:00Z",
        );
        expect(renderAnnotation({})).toBe("");
    });

    it("has the simulator report a guest address", () => {
        expect(simulatedAddressCommand("/dc/vm/jump", "10.0.0.7")).toEqual([
            "vm.change",
            "-vm",
            "/dc/vm/jump",
            "-e",
            "SET.guest.ipAddress=10.0.0.7",
        ]);
    });
});

describe("library import arguments", () => {
    it("uploads a file, and has the vCenter pull a URL", () => {
        expect(importCommand({ library: "ci", name: "ubuntu", source: "/tmp/u.ova" })).toEqual([
            "library.import",
            "-n",
            "ubuntu",
            "--",
            "ci",
            "/tmp/u.ova",
        ]);
        expect(
            importCommand({ library: "ci", name: "ubuntu", source: "https://x.example/u.ova" }),
        ).toEqual([
            "library.import",
            "-pull",
            "-n",
            "ubuntu",
            "--",
            "ci",
            "https://x.example/u.ova",
        ]);
    });
});
