import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Issue } from "../../providers/validation";
import { Inventory, planInventory, SimulatorModel, VCenterSimulator } from "../../providers/vcsim";
import { VCenterConnection } from "../../providers/vsphere/connection";
import { ContentLibrary } from "../../providers/vsphere/content-library";
import { InventoryIds } from "../../providers/vsphere/inventory-ids";
import { checkLibrarySource, LibraryItem } from "../../providers/vsphere/library-item";
import {
    availabilityZoneName,
    CA_CONFIG_MAP_NAME,
    CA_FILE,
    checkObjectName,
    CONFIG_MAP_NAME,
    CREDENTIALS_SECRET_NAME,
    OPERATOR_NAMESPACE,
    Placement,
    providerConfig,
    SEED_IMAGE_INFO,
    SEED_PLACEMENT,
    SEED_STORAGE_CLASSES,
    SEED_VM_CLASSES,
    StorageClassSpec,
    validateClasses,
    VmClassSpec,
} from "./dependencies-spec";
import { refuseIssues } from "../common/refuse-issues";

/** A content library this component makes in vCenter, with an item per image. */
export interface LibrarySpec {
    name: string;
    /** Defaults to the connection's datastore. */
    datastore?: string;
    /** Each item's name (the image's) and the .ovf/.ova it is imported from (file or URL). */
    items: { name: string; source: string }[];
}

/** A vCenter reached through a VCenterConnection (VMC); unset placement takes CAPV's. */
export interface VCenterReference {
    connection: VCenterConnection;
    /** Compute cluster path. */
    cluster?: string;
    portGroup?: string;
    /** An existing content library and the items in it; or `library`, made and removed here. */
    contentLibrary?: string;
    items?: string[];
    library?: LibrarySpec;
}

/** This project's simulator (CAPV's `vCenterSimulatorRef`); placement from its inventory. */
export interface SimulatorReference {
    simulator: VCenterSimulator;
    /** The simulator's model, which plans its inventory. */
    model: SimulatorModel;
    /** Index of the datacenter, and of the compute cluster in it. Default 0. */
    datacenter?: number;
    cluster?: number;
}

export interface VmOperatorDependenciesArgs {
    /** Exactly one of `vCenter` and `simulator`, as the VMOperatorDependencies CRD of CAPV's vcsim controller demands. */
    vCenter?: VCenterReference;
    simulator?: SimulatorReference;
    /** The namespaces machines are made in, each set up alike. */
    namespaces: string[];
    /** Defaults to vmware-system-vmop. */
    operatorNamespace?: string;
    /** Defaults to CAPV's vcsim-default-storage-class on vSAN Default Storage Policy. */
    storageClasses?: StorageClassSpec[];
    /** Defaults to CAPV's vcsim-default-vm-class (2 CPUs, 4G). */
    virtualMachineClasses?: VmClassSpec[];
}

/** Every rule the args break, by arg path; empty when they are usable. */
export function validateVmOperatorDependenciesArgs(args: VmOperatorDependenciesArgs): Issue[] {
    const issues: Issue[] = [];
    if ((args.vCenter === undefined) === (args.simulator === undefined)) {
        issues.push({
            field: "vCenter",
            message: `and simulator: exactly one must be set; got ${
                args.vCenter === undefined ? "neither" : "both"
            }`,
        });
    }
    issues.push(...validateVCenterLibrary(args.vCenter));
    (args.simulator?.model.templates ?? []).forEach((item, i) =>
        issues.push(...checkObjectName(`simulator.model.templates[${i}]`, item)),
    );
    issues.push(
        ...validateClasses(
            args.namespaces,
            args.storageClasses ?? SEED_STORAGE_CLASSES,
            args.virtualMachineClasses ?? SEED_VM_CLASSES,
        ),
    );
    return issues;
}

function validateVCenterLibrary(ref: VCenterReference | undefined): Issue[] {
    const issues: Issue[] = [];
    // Items name VirtualMachineImages.
    (ref?.items ?? []).forEach((item, i) =>
        issues.push(...checkObjectName(`vCenter.items[${i}]`, item)),
    );
    const library = ref?.library;
    if (library === undefined) {
        return issues;
    }
    if (ref?.contentLibrary !== undefined || ref?.items !== undefined) {
        issues.push({
            field: "vCenter.library",
            message:
                "and vCenter.contentLibrary/items: set one (a library to make, or one that exists)",
        });
    }
    issues.push(...checkObjectName("vCenter.library.name", library.name));
    if (library.items.length === 0) {
        issues.push({ field: "vCenter.library.items", message: "must list at least one item" });
    }
    library.items.forEach((item, i) => {
        issues.push(...checkObjectName(`vCenter.library.items[${i}].name`, item.name));
        issues.push(...checkLibrarySource(`vCenter.library.items[${i}].source`, item.source));
    });
    return issues;
}

interface Target {
    server: pulumi.Output<string>;
    username: pulumi.Output<string>;
    password: pulumi.Output<string>;
    thumbprint: pulumi.Output<string>;
    placement: pulumi.Output<Placement>;
    /** Known before the vCenter is: they name Kubernetes objects. */
    cluster: string;
    items: string[];
}

function fromVCenter(ref: VCenterReference): Target {
    const c = ref.connection;
    const cluster = ref.cluster ?? SEED_PLACEMENT.cluster;
    const items = ref.library?.items.map((i) => i.name) ?? ref.items ?? SEED_PLACEMENT.items;
    const contentLibrary = ref.library?.name ?? ref.contentLibrary ?? SEED_PLACEMENT.contentLibrary;
    return {
        server: pulumi.output(c.server),
        username: pulumi.output(c.username),
        password: pulumi.secret(c.password),
        thumbprint: pulumi.output(c.thumbprint),
        placement: pulumi
            .all([c.datacenter, c.folder, c.resourcePool])
            .apply(([datacenter, folder, resourcePool]) => ({
                datacenter,
                folder,
                resourcePool,
                cluster,
                portGroup: ref.portGroup ?? SEED_PLACEMENT.portGroup,
                contentLibrary,
                items,
            })),
        cluster,
        items,
    };
}

/** The placement a simulator of `inventory` offers, as CAPV's vcsim controller derives it from a VCenterSimulator. */
export function simulatorPlacement(inventory: Inventory, d = 0, c = 0): Placement {
    const dc = inventory.datacenters[d];
    const network = path.posix.basename(dc.network);
    return {
        datacenter: dc.name,
        cluster: dc.clusters[c].path,
        folder: dc.folder,
        resourcePool: dc.clusters[c].resourcePool,
        // vcsim's "VM Network" is no port group; its first distributed one is (CAPV's).
        portGroup: network === "VM Network" ? `${dc.name}_DVPG0` : network,
        contentLibrary: inventory.contentLibrary,
        items: dc.templates.map((t) => path.posix.basename(t)),
    };
}

function fromSimulator(ref: SimulatorReference): Target {
    const sim = ref.simulator;
    const placement = simulatorPlacement(planInventory(ref.model), ref.datacenter, ref.cluster);
    return {
        server: sim.server,
        username: sim.username,
        password: pulumi.secret(sim.password),
        thumbprint: sim.thumbprint,
        placement: pulumi.output(placement),
        cluster: placement.cluster,
        items: placement.items,
    };
}

/** The sources of the library's items by path; a new source is a new item with a new id. */
function librarySources(spec: LibrarySpec | undefined): Record<string, string> | undefined {
    return spec
        ? Object.fromEntries(spec.items.map((i) => [`/${spec.name}/${i.name}`, i.source]))
        : undefined;
}

/** The content library and its items, in vCenter; removed with the component. */
function makeLibrary(
    parent: pulumi.Resource,
    name: string,
    connection: VCenterConnection,
    spec: LibrarySpec,
): LibraryItem[] {
    const library = new ContentLibrary(
        `${name}-library`,
        { connection, name: spec.name, datastore: spec.datastore },
        { parent },
    );
    return spec.items.map(
        (item) =>
            new LibraryItem(
                `${name}-item-${item.name}`,
                { connection, library: library.name, name: item.name, source: item.source },
                { parent },
            ),
    );
}

/**
 * What CAPV's vcsim controller makes for vm-operator, made declaratively and removed on
 * destroy: per storage class a StorageClass and, per namespace, a ResourceQuota; the
 * AvailabilityZone; the credentials Secret and provider ConfigMap; per namespace the
 * VirtualMachineClasses and a VirtualMachineImage per content library item. The content
 * library is made in vCenter when `vCenter.library` asks for it; otherwise it must exist (the
 * simulator makes its own).
 */
export class VmOperatorDependencies extends pulumi.ComponentResource {
    /** The provider ConfigMap's data. */
    public readonly config: pulumi.Output<Record<string, string>>;
    public readonly storageClassNames: string[];
    public readonly vmClassNames: string[];
    /** The VirtualMachineImage names (one per library item), in every namespace. */
    public readonly imageNames: string[];

    constructor(
        name: string,
        args: VmOperatorDependenciesArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("k8sci:supervisor:VmOperatorDependencies", name, {}, opts);
        const issues = validateVmOperatorDependenciesArgs(args);
        refuseIssues(this, name, issues);
        const operatorNs = args.operatorNamespace ?? OPERATOR_NAMESPACE;
        const storageClasses = args.storageClasses ?? SEED_STORAGE_CLASSES;
        const vmClasses = args.virtualMachineClasses ?? SEED_VM_CLASSES;
        const target = args.vCenter ? fromVCenter(args.vCenter) : fromSimulator(args.simulator!);
        const p = target.placement;
        const libraryItems = args.vCenter?.library
            ? makeLibrary(this, name, args.vCenter.connection, args.vCenter.library)
            : [];

        const ids = new InventoryIds(
            `${name}-ids`,
            {
                url: pulumi.interpolate`https://${target.server}/sdk`,
                username: target.username,
                password: target.password,
                thumbprint: target.thumbprint,
                objects: p.apply((pl) => ({
                    datacenter: `/${pl.datacenter.replace(/^\//, "")}`,
                    cluster: pl.cluster,
                    folder: pl.folder,
                    resourcePool: pl.resourcePool,
                })),
                policyNames: storageClasses.map((sc) => sc.storagePolicy),
                itemPaths: p.apply((pl) => pl.items.map((i) => `/${pl.contentLibrary}/${i}`)),
                itemSources: librarySources(args.vCenter?.library),
            },
            { parent: this, dependsOn: libraryItems },
        );

        for (const sc of storageClasses) {
            new k8s.storage.v1.StorageClass(
                `${name}-sc-${sc.name}`,
                {
                    metadata: { name: sc.name },
                    provisioner: "kubernetes.io/vsphere-volume",
                    parameters: {
                        storagePolicyID: ids.policyIds.apply((m) => m[sc.storagePolicy]),
                    },
                },
                { parent: this },
            );
            for (const ns of args.namespaces) {
                new k8s.core.v1.ResourceQuota(
                    `${name}-quota-${ns}-${sc.name}`,
                    {
                        metadata: { name: sc.name, namespace: ns },
                        spec: {
                            hard: {
                                [`${sc.name}.storageclass.storage.k8s.io/requests.storage`]: "1Gi",
                            },
                        },
                    },
                    { parent: this },
                );
            }
        }

        new k8s.apiextensions.CustomResource(
            `${name}-az`,
            {
                apiVersion: "topology.tanzu.vmware.com/v1alpha1",
                kind: "AvailabilityZone",
                metadata: { name: availabilityZoneName(target.cluster) },
                spec: {
                    clusterComputeResourceMoId: ids.objectIds.apply((m) => m.cluster),
                    namespaces: ids.objectIds.apply((m) =>
                        Object.fromEntries(
                            args.namespaces.map((ns) => [
                                ns,
                                { poolMoId: m.resourcePool, folderMoId: m.folder },
                            ]),
                        ),
                    ),
                },
            },
            { parent: this },
        );

        new k8s.core.v1.Secret(
            `${name}-secret`,
            {
                metadata: { name: CREDENTIALS_SECRET_NAME, namespace: operatorNs },
                type: "Opaque",
                stringData: {
                    username: target.username,
                    password: target.password,
                    "CAPV-TEST-Thumbprint": target.thumbprint,
                },
            },
            { parent: this },
        );

        this.config = pulumi.all([target.server, p, ids.objectIds]).apply(([server, pl, m]) =>
            providerConfig(server, pl, {
                datacenter: m.datacenter,
                cluster: m.cluster,
                folder: m.folder,
                resourcePool: m.resourcePool,
            }),
        );
        // The vCenter's certificate, which CAFilePath names (see CA_CONFIG_MAP_NAME).
        new k8s.core.v1.ConfigMap(
            `${name}-ca`,
            {
                metadata: { name: CA_CONFIG_MAP_NAME, namespace: operatorNs },
                data: { [CA_FILE]: ids.certificate },
            },
            { parent: this },
        );
        new k8s.core.v1.ConfigMap(
            `${name}-config`,
            { metadata: { name: CONFIG_MAP_NAME, namespace: operatorNs }, data: this.config },
            { parent: this },
        );

        for (const ns of args.namespaces) {
            for (const c of vmClasses) {
                new k8s.apiextensions.CustomResource(
                    `${name}-class-${ns}-${c.name}`,
                    {
                        apiVersion: "vmoperator.vmware.com/v1alpha2",
                        kind: "VirtualMachineClass",
                        metadata: { name: c.name, namespace: ns },
                        spec: { hardware: { cpus: c.cpus, memory: c.memory } },
                    },
                    { parent: this },
                );
            }
        }

        for (const item of target.items) {
            const providerItemID = pulumi
                .all([p, ids.itemIds])
                .apply(([pl, itemIds]) => itemIds[`/${pl.contentLibrary}/${item}`]);
            for (const ns of args.namespaces) {
                new k8s.apiextensions.CustomResource(
                    `${name}-image-${ns}-${item}`,
                    {
                        apiVersion: "vmoperator.vmware.com/v1alpha2",
                        kind: "VirtualMachineImage",
                        metadata: { name: item, namespace: ns },
                        spec: { providerRef: { kind: "ContentLibraryItem", name: item } },
                        // CAPV's vcsim controller fakes the image's reconciliation so it reads Ready.
                        status: {
                            name: item,
                            providerItemID,
                            productInfo: { fullVersion: SEED_IMAGE_INFO.productInfo },
                            osInfo: { type: SEED_IMAGE_INFO.osInfo },
                            conditions: [
                                {
                                    type: "Ready",
                                    status: "True",
                                    reason: "True",
                                    message: "",
                                    lastTransitionTime: "1970-01-01T00:00:00Z",
                                },
                            ],
                        },
                    },
                    { parent: this },
                );
            }
        }
        this.imageNames = target.items;
        this.storageClassNames = storageClasses.map((sc) => sc.name);
        this.vmClassNames = vmClasses.map((c) => c.name);
        this.registerOutputs({
            config: this.config,
            storageClassNames: this.storageClassNames,
            vmClassNames: this.vmClassNames,
            imageNames: this.imageNames,
        });
    }
}
