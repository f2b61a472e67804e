import * as pulumi from "@pulumi/pulumi";
import { changedKeys } from "../dynamic";
import { govc, GovcTarget } from "../govc/runner";
import { pinnedCertificate } from "../vcsim/thumbprint";

export interface InventoryIdsArgs {
    /** https://host:port/sdk */
    url: pulumi.Input<string>;
    username: pulumi.Input<string>;
    /** A secret. */
    password: pulumi.Input<string>;
    /** SHA-256 colon-hex thumbprint of the vCenter's certificate, which govc then verifies. */
    thumbprint: pulumi.Input<string>;
    /** Inventory paths to resolve, by a name of the caller's choosing. */
    objects: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Storage policy names to resolve to their PBM profile ids. */
    policyNames: pulumi.Input<pulumi.Input<string>[]>;
    /** Content library items (`/<library>/<item>`) to resolve to their ids. */
    itemPaths: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * What items the caller made were imported from, by path: a new source replaces its item,
     * which then has a new id to look up. Not used in the lookup itself.
     */
    itemSources?: pulumi.Input<Record<string, string>>;
}

interface IdsInputs {
    url: string;
    username: string;
    password: string;
    thumbprint: string;
    objects: Record<string, string>;
    policyNames: string[];
    itemPaths: string[];
    itemSources?: Record<string, string>;
}

/** What vm-operator's configuration names objects by: ids, never paths. */
export interface ResolvedIds {
    /** Managed-object ids (`datacenter-2`, `group-v4`, ...) by the caller's names. */
    objectIds: Record<string, string>;
    /** PBM profile ids by storage policy name. */
    policyIds: Record<string, string>;
    /** Content library item ids by `/<library>/<item>`. */
    itemIds: Record<string, string>;
    /** The vCenter's certificate (PEM), checked against the thumbprint: a CA file for clients. */
    certificate: string;
}

type IdsOutputs = IdsInputs & ResolvedIds;

/** Resolves every path and name of `inputs` against the vCenter, failing on the first missing. */
async function resolve(inputs: IdsInputs): Promise<ResolvedIds> {
    const target: GovcTarget = {
        url: inputs.url,
        username: inputs.username,
        password: inputs.password,
        thumbprint: inputs.thumbprint,
    };
    const objectIds: Record<string, string> = {};
    for (const [name, path] of Object.entries(inputs.objects)) {
        // `Type:moid`, e.g. `ResourcePool:resgroup-27`
        const ref = (await govc(target, ["find", "-i", "-maxdepth", "0", "--", path])).trim();
        const id = ref.split("\n")[0].split(":")[1];
        if (!id) {
            throw new Error(`${name}: no inventory object at ${path}`);
        }
        objectIds[name] = id;
    }
    const policyIds: Record<string, string> = {};
    for (const policy of inputs.policyNames) {
        const info = JSON.parse(await govc(target, ["storage.policy.info", "-json", "--", policy]));
        const id = info?.policies?.[0]?.profile?.profileId?.uniqueId;
        if (typeof id !== "string") {
            throw new Error(`storage policy ${JSON.stringify(policy)} has no profile id`);
        }
        policyIds[policy] = id;
    }
    const itemIds: Record<string, string> = {};
    for (const item of inputs.itemPaths) {
        const info = JSON.parse(await govc(target, ["library.info", "-json", "--", item]));
        const id = (Array.isArray(info) ? info[0] : undefined)?.id;
        if (typeof id !== "string") {
            throw new Error(`content library item ${item} does not exist`);
        }
        itemIds[item] = id;
    }
    const certificate = await pinnedCertificate(inputs.url, inputs.thumbprint);
    return { objectIds, policyIds, itemIds, certificate };
}

/** Looks inventory objects, storage policies and library items up; owns nothing in vCenter. */
export const inventoryIdsProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: IdsOutputs, news: IdsInputs) {
        const changes = changedKeys<IdsInputs>(olds, news, [
            "url",
            "username",
            "password",
            "thumbprint",
            "objects",
            "policyNames",
            "itemPaths",
            "itemSources",
        ]);
        return { changes: changes.length > 0 };
    },

    async create(inputs: IdsInputs) {
        return { id: inputs.url, outs: { ...inputs, ...(await resolve(inputs)) } };
    },

    /**
     * A vCenter restarted (the simulator, after refresh) may give its objects new ids. One that
     * does not answer drops the lookup, which owns nothing: the next up looks again.
     */
    async read(id: string, props: IdsOutputs) {
        try {
            return { id, props: { ...props, ...(await resolve(props)) } };
        } catch (err) {
            if (/connection refused|no such host/i.test(String((err as Error).message))) {
                return {};
            }
            throw err;
        }
    },

    async update(_id: string, _olds: IdsOutputs, news: IdsInputs) {
        return { outs: { ...news, ...(await resolve(news)) } };
    },

    async delete() {
        // A lookup: nothing to remove.
    },
};

/**
 * The managed-object ids, storage-policy ids and library-item ids of a vCenter's objects, as
 * vm-operator's configuration and the supervisor's objects refer to them. Looked up with govc,
 * so it works alike against VMC and the simulator.
 */
export class InventoryIds extends pulumi.dynamic.Resource {
    public readonly objectIds!: pulumi.Output<Record<string, string>>;
    public readonly policyIds!: pulumi.Output<Record<string, string>>;
    public readonly itemIds!: pulumi.Output<Record<string, string>>;
    public readonly certificate!: pulumi.Output<string>;

    constructor(name: string, args: InventoryIdsArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            inventoryIdsProvider,
            name,
            {
                ...args,
                objectIds: undefined,
                policyIds: undefined,
                itemIds: undefined,
                certificate: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["password"] }),
            "vsphere",
            "InventoryIds",
        );
    }
}
