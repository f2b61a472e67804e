import * as pulumi from "@pulumi/pulumi";
import { hasUnknowns } from "../dynamic";
import { checkFailures, knownIssues } from "./check-failures";
import { InventoryKind, inventoryIssues } from "./inventory-check";
import { targetOf, whileReachable } from "./session";
import { classifyVmDiff } from "./vm-diff";
import { VmInputs, VmOutputs } from "./vm-model";
import { createVm, deleteVm, outputsOf, updateVm } from "./vm-ops";
import { readVm } from "./vm-state";
import { validateVm } from "./vm-validate";

/** Inputs naming inventory objects, checked against the vCenter when it is known. */
const INVENTORY_INPUTS: [keyof VmInputs, InventoryKind][] = [
    ["template", "template"],
    ["libraryItem", "libraryItem"],
    ["datastore", "datastore"],
    ["network", "network"],
    ["folder", "folder"],
    ["resourcePool", "resourcePool"],
];

/** Drives VMs through govc. */
export const virtualMachineProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: unknown, news: VmInputs) {
        const issues = knownIssues(validateVm(news), news);
        if (issues.length === 0 && !hasUnknowns([news.session, news.password])) {
            const refs = INVENTORY_INPUTS.filter(
                ([field]) => news[field] !== undefined && !hasUnknowns(news[field]),
            ).map(([field, kind]) => ({ field, kind, value: news[field] as string }));
            issues.push(...(await inventoryIssues(targetOf(news), refs)));
        }
        return { inputs: news, failures: checkFailures(issues, news.inputSources) };
    },

    async diff(_id: string, olds: VmOutputs, news: VmInputs) {
        const { changes, replaces, deleteBeforeReplace } = classifyVmDiff(olds, news);
        return { changes: changes || hasUnknowns(news), replaces, deleteBeforeReplace };
    },

    async create(inputs: VmInputs) {
        const outs = await createVm(inputs);
        return { id: outs.uuid, outs };
    },

    /** The VM as vSphere has it: powered off or resized by hand, or gone (then dropped). */
    async read(id: string, props: VmOutputs) {
        const state = await whileReachable(props, () => readVm(targetOf(props), props.path));
        if (state === undefined || state.uuid !== id) {
            return {};
        }
        return { id, props: outputsOf(props, state) };
    },

    async update(_id: string, olds: VmOutputs, news: VmInputs) {
        return { outs: await updateVm(olds, news) };
    },

    async delete(_id: string, props: VmOutputs) {
        await whileReachable(props, () => deleteVm(targetOf(props), props.path));
    },
};
