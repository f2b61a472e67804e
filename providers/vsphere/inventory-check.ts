import { isGovcError, GovcTarget, govc, govcJson } from "../govc/runner";
import { Issue } from "../validation";

/** Kinds of inventory objects an input may name, each looked up as govc's finder resolves it. */
export type InventoryKind =
    "template" | "libraryItem" | "library" | "datastore" | "network" | "folder" | "resourcePool";

/** Whether the object exists; throws only when the vCenter cannot answer. */
export async function exists(
    target: GovcTarget,
    kind: InventoryKind,
    pathOrName: string,
): Promise<boolean> {
    try {
        switch (kind) {
            case "template": {
                const info = await govcJson<{ virtualMachines: unknown[] | null }>(target, [
                    "vm.info",
                    "--",
                    pathOrName,
                ]);
                return (info.virtualMachines ?? []).length > 0;
            }
            case "resourcePool": {
                const info = await govcJson<{ resourcePools: unknown[] | null }>(target, [
                    "pool.info",
                    "--",
                    pathOrName,
                ]);
                return (info.resourcePools ?? []).length > 0;
            }
            case "library":
            case "libraryItem":
                return (
                    await govcJson<unknown[] | null>(target, ["library.info", "--", pathOrName])
                )?.length
                    ? true
                    : false;
            case "datastore":
                await govc(target, ["datastore.info", "--", pathOrName]);
                return true;
            case "folder":
                await govc(target, ["folder.info", "--", pathOrName]);
                return true;
            case "network": {
                const absolute = pathOrName.startsWith("/")
                    ? pathOrName
                    : `/${target.datacenter}/network/${pathOrName}`;
                await govc(target, ["find", "-i", "-maxdepth", "0", "--", absolute]);
                return true;
            }
        }
    } catch (err) {
        if (isGovcError(err) && /not found|404|does not exist/i.test(err.stderr)) {
            return false;
        }
        throw err;
    }
}

/**
 * Issues for inputs naming objects the vCenter does not have. When the vCenter cannot be
 * reached, nothing can be told: no issues (creating the resource will say what went wrong).
 */
export async function inventoryIssues(
    target: GovcTarget,
    refs: { field: string; kind: InventoryKind; value: string }[],
): Promise<Issue[]> {
    const issues: Issue[] = [];
    try {
        for (const ref of refs) {
            if (!(await exists(target, ref.kind, ref.value))) {
                issues.push({
                    field: ref.field,
                    message: `names no ${KIND_NAMES[ref.kind]} in the vCenter: ${JSON.stringify(ref.value)}`,
                });
            }
        }
    } catch {
        return [];
    }
    return issues;
}

const KIND_NAMES: Record<InventoryKind, string> = {
    template: "VM or template",
    libraryItem: "content library item",
    library: "content library",
    datastore: "datastore",
    network: "network",
    folder: "folder",
    resourcePool: "resource pool",
};
