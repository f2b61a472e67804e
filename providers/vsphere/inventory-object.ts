import * as pulumi from "@pulumi/pulumi";
import { changedKeys, hasUnknowns } from "../dynamic";
import { GovcTarget } from "../govc/runner";
import { Issue } from "../validation";
import { checkFailures, knownIssues } from "./check-failures";
import { InventoryKind, inventoryIssues } from "./inventory-check";
import { SessionProps, targetOf, whileReachable } from "./session";

/** What every simple object carries: its vCenter, and where its inputs come from. */
export interface ObjectProps extends SessionProps {
    /** Configuration keys inputs come from, named in check failures (`{ path: "vsphereFolder" }`). */
    inputSources?: Record<string, string>;
}

/** How one kind of simple vSphere object (folder, pool, library, item) is made and found. */
export interface ObjectSpec<I extends ObjectProps> {
    /** Inputs that identify the object: changing one makes a new object. */
    identity: (keyof I & string)[];
    validate(inputs: I): Issue[];
    /** Inputs naming objects that must already exist in the vCenter. */
    references(inputs: I): { field: keyof I & string; kind: InventoryKind }[];
    /** Creates the object; returns its id and any outputs beyond the inputs. */
    create(target: GovcTarget, inputs: I): Promise<{ id: string; outs?: object }>;
    exists(target: GovcTarget, props: I): Promise<boolean>;
    remove(target: GovcTarget, props: I): Promise<void>;
}

/** A dynamic provider for a simple object: replaced when its identity changes, never updated. */
export function objectProvider<I extends ObjectProps>(
    spec: ObjectSpec<I>,
): pulumi.dynamic.ResourceProvider {
    return {
        async check(_olds: unknown, news: I) {
            const issues = knownIssues(spec.validate(news), news);
            if (issues.length === 0 && !hasUnknowns([news.session, news.password])) {
                const refs = spec
                    .references(news)
                    .filter(({ field }) => !hasUnknowns(news[field]))
                    .map(({ field, kind }) => ({ field, kind, value: String(news[field]) }));
                issues.push(...(await inventoryIssues(targetOf(news), refs)));
            }
            return { inputs: news, failures: checkFailures(issues, news.inputSources) };
        },

        async diff(_id: string, olds: I, news: I) {
            const replaces = changedKeys<I>(olds, news, spec.identity);
            const server =
                hasUnknowns(news.session) ||
                olds.session.server !== news.session.server ||
                olds.session.datacenter !== news.session.datacenter;
            if (server) {
                replaces.push("session");
            }
            const credentials =
                JSON.stringify([olds.session, olds.password]) !==
                JSON.stringify([news.session, news.password]);
            return {
                changes: replaces.length > 0 || credentials,
                replaces: replaces.map(String),
                deleteBeforeReplace: true,
            };
        },

        async create(inputs: I) {
            const { id, outs } = await spec.create(targetOf(inputs), inputs);
            return { id, outs: { ...inputs, ...outs } };
        },

        async read(id: string, props: I) {
            const found = await whileReachable(props, () => spec.exists(targetOf(props), props));
            return found ? { id, props } : {};
        },

        async update(_id: string, olds: I, news: I) {
            return { outs: { ...olds, ...news } };
        },

        async delete(_id: string, props: I) {
            await whileReachable(props, async () => {
                if (await spec.exists(targetOf(props), props)) {
                    await spec.remove(targetOf(props), props);
                }
            });
        },
    };
}
