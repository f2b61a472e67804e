/** Small builders of OpenAPI v3 schemas for the CustomResourceDefinitions this project writes. */

export type Schema = Record<string, unknown>;

export const str = (extra: Schema = {}): Schema => ({ type: "string", ...extra });
export const int = (extra: Schema = {}): Schema => ({ type: "integer", ...extra });
export const bool = (extra: Schema = {}): Schema => ({ type: "boolean", ...extra });
export const arrayOf = (items: Schema, extra: Schema = {}): Schema => ({
    type: "array",
    items,
    ...extra,
});
export const mapOf = (values: Schema): Schema => ({
    type: "object",
    additionalProperties: values,
});

/** An object with `properties`; `required` lists those it must have. */
export function obj(properties: Record<string, Schema>, required: string[] = []): Schema {
    return { type: "object", properties, ...(required.length > 0 ? { required } : {}) };
}

/** A Kubernetes quantity (4G, 8Gi, 1024): a string or an integer. */
export const quantity = (): Schema => ({
    "x-kubernetes-int-or-string": true,
    anyOf: [{ type: "integer" }, { type: "string" }],
    pattern: "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$",
});

/** Standard conditions, as metav1.Condition. */
export const conditions = (): Schema =>
    arrayOf(
        obj(
            {
                type: str(),
                status: str({ enum: ["True", "False", "Unknown"] }),
                reason: str(),
                message: str(),
                lastTransitionTime: str({ format: "date-time" }),
                observedGeneration: int(),
            },
            ["type", "status"],
        ),
    );

export interface CrdVersion {
    name: string;
    spec: Schema;
    status?: Schema;
    /** Serve `status` as a subresource (writes to it then go through /status only). */
    statusSubresource?: boolean;
    /** CEL rules on the whole spec. */
    specRules?: { rule: string; message: string }[];
}

export interface CrdArgs {
    group: string;
    kind: string;
    plural: string;
    scope: "Namespaced" | "Cluster";
    versions: CrdVersion[];
    labels?: Record<string, string>;
}

/** A CustomResourceDefinition's body, its first version served and stored. */
export function crd(args: CrdArgs) {
    return {
        apiVersion: "apiextensions.k8s.io/v1" as const,
        kind: "CustomResourceDefinition" as const,
        metadata: { name: `${args.plural}.${args.group}`, labels: args.labels },
        spec: {
            group: args.group,
            scope: args.scope,
            names: {
                kind: args.kind,
                listKind: `${args.kind}List`,
                plural: args.plural,
                singular: args.kind.toLowerCase(),
            },
            versions: args.versions.map((v, i) => ({
                name: v.name,
                served: true,
                storage: i === 0,
                ...(v.statusSubresource ? { subresources: { status: {} } } : {}),
                schema: {
                    openAPIV3Schema: obj({
                        apiVersion: str(),
                        kind: str(),
                        metadata: { type: "object" },
                        spec: v.specRules
                            ? { ...v.spec, "x-kubernetes-validations": v.specRules }
                            : v.spec,
                        ...(v.status ? { status: v.status } : {}),
                    }),
                },
            })),
        },
    };
}
