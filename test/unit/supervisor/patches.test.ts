import * as fs from "fs";
import * as path from "path";
import {
    isLeftOut,
    K8sObject,
    parseManifest,
    patchEnv,
    PROVIDER_LABEL,
    SEED_ENV,
    SEED_PATCHES,
    vmOperatorTransform,
} from "../../../components/supervisor/vm-operator-patches";
import {
    CA_CONFIG_MAP_NAME,
    CA_FILE,
    providerConfig,
    SEED_PLACEMENT,
} from "../../../components/supervisor/dependencies-spec";

const FIXTURE = fs.readFileSync(path.join(__dirname, "vm-operator-mini.yaml"), "utf8");

/** The fixture's objects as VmOperator applies them: left-outs dropped, each transformed. */
function applied(patches = SEED_PATCHES): K8sObject[] {
    const transform = vmOperatorTransform(patches);
    return parseManifest(FIXTURE)
        .filter((o) => !isLeftOut(o))
        .map((o) => (transform(o), o));
}

const manager = (objects: K8sObject[]) =>
    objects.find((o) => o.metadata.name === "vmware-system-vmop-controller-manager")!;

describe("CAPV's vm-operator patches, on a vm-operator-shaped manifest", () => {
    it("leaves out the web console validator and the two ConfigMaps, keeping the rest", () => {
        expect(applied().map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
            "Namespace/vmware-system-vmop",
            "CustomResourceDefinition/virtualmachineclasses.vmoperator.vmware.com",
            "ConfigMap/vmoperator-manager-config",
            "Deployment/vmware-system-vmop-controller-manager",
        ]);
    });

    it("labels every object, and the manager's pods, as CAPI's runtime extension", () => {
        const objects = applied();
        for (const o of objects) {
            expect(o.metadata.labels).toMatchObject(PROVIDER_LABEL);
        }
        expect(manager(objects).spec.template.metadata.labels).toEqual({
            "control-plane": "controller-manager",
            ...PROVIDER_LABEL,
        });
        // The selector is immutable: it stays as the manifest has it.
        expect(manager(objects).spec.selector.matchLabels).toEqual({
            "control-plane": "controller-manager",
        });
    });

    it("runs one replica off the host network, with no supervisor certificate volume", () => {
        const d = manager(applied());
        expect(d.spec.replicas).toBe(1);
        expect(d.spec.template.spec.hostNetwork).toBe(false);
        for (const c of d.spec.template.spec.containers) {
            expect(c.imagePullPolicy).toBe("Always");
            expect((c.volumeMounts ?? []).map((m: { name: string }) => m.name)).not.toContain(
                "vmca-certs",
            );
        }
    });

    it("mounts the pinned vCenter certificate where the provider ConfigMap's CAFilePath points", () => {
        const pod = manager(applied()).spec.template.spec;
        expect(pod.volumes).toEqual([
            { name: "other", emptyDir: {} },
            {
                name: "vcenter-ca",
                configMap: { name: CA_CONFIG_MAP_NAME, optional: true },
            },
        ]);
        const [vmOperator, proxy] = pod.containers;
        expect(vmOperator.volumeMounts).toEqual([
            { name: "other", mountPath: "/other" },
            { name: "vcenter-ca", mountPath: "/etc/vmware/wcp/tls", readOnly: true },
        ]);
        // Only the manager talks to vCenter.
        expect(proxy.volumeMounts.map((m: { name: string }) => m.name)).not.toContain("vcenter-ca");
        const { CAFilePath } = providerConfig("vc.example:443", SEED_PLACEMENT, {
            datacenter: "datacenter-2",
            cluster: "domain-c8",
            folder: "group-v4",
            resourcePool: "resgroup-9",
        });
        expect(CAFilePath).toBe(`/etc/vmware/wcp/tls/${CA_FILE}`);
    });

    it("sets CAPV's environment patch and removes the listed variables, keeping others in place", () => {
        const env = manager(applied()).spec.template.spec.containers[0].env;
        expect(env).toEqual([
            { name: "VSPHERE_NETWORKING", value: "true" },
            { name: "KEEP_ME", value: "kept" },
            ...Object.entries(SEED_ENV)
                .filter(([k]) => k !== "VSPHERE_NETWORKING")
                .map(([name, value]) => ({ name, value })),
        ]);
    });

    it("replaces the manager's image only when asked, and only the manager's", () => {
        const containers = (o: K8sObject[]) => manager(o).spec.template.spec.containers;
        expect(containers(applied())[0].image).toBe("vmop:upstream");
        const pinned = containers(applied({ ...SEED_PATCHES, image: "registry/vmop:v1.8.6" }));
        expect(pinned.map((c: { image: string }) => c.image)).toEqual([
            "registry/vmop:v1.8.6",
            "proxy:v1",
        ]);
    });

    it("merges env by name: an absent list gets the set, removals of absent names are no-ops", () => {
        expect(patchEnv(undefined, { A: "1" }, ["B"])).toEqual([{ name: "A", value: "1" }]);
    });

    it("ships a local manifest the patches apply to, with the manager and the CRDs the program uses", () => {
        const local = fs.readFileSync(
            path.join(__dirname, "../../../components/supervisor/manifests/vm-operator-local.yaml"),
            "utf8",
        );
        const objects = parseManifest(local);
        expect(objects.filter(isLeftOut)).toEqual([]);
        expect(
            objects
                .filter((o) => o.kind === "CustomResourceDefinition")
                .map((o) => o.metadata.name),
        ).toEqual([
            "virtualmachineclasses.vmoperator.vmware.com",
            "virtualmachineimages.vmoperator.vmware.com",
            "availabilityzones.topology.tanzu.vmware.com",
        ]);
        const transform = vmOperatorTransform(SEED_PATCHES);
        objects.forEach((o) => transform(o));
        const d = manager(objects);
        expect(d.spec.replicas).toBe(1);
        // The host's certificate bundle goes; the pinned vCenter certificate takes its place.
        expect(d.spec.template.spec.volumes.map((v: { name: string }) => v.name)).toEqual([
            "vcenter-ca",
        ]);
    });
});
