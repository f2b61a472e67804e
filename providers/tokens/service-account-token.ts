import * as pulumi from "@pulumi/pulumi";
import { changedKeys } from "../dynamic";
import { withKubectl } from "../jobs/kubectl";
import { checkDnsLabel, checkInteger } from "../validation";
import { MAX_TOKEN_TTL_HOURS, renewalDue, renewalPoint } from "./renewal";

export interface ServiceAccountTokenArgs {
    /** A kubeconfig allowed to create `serviceaccounts/token` in the namespace (a secret). */
    kubeconfig: pulumi.Input<string>;
    namespace: pulumi.Input<string>;
    serviceAccount: pulumi.Input<string>;
    /** The lifetime to ask for, in hours (1-720). */
    ttlHours: pulumi.Input<number>;
}

export interface TokenInputs {
    kubeconfig: string;
    namespace: string;
    serviceAccount: string;
    ttlHours: number;
}

export interface TokenOutputs extends TokenInputs {
    token: string;
    issuedAt: string;
    expiresAt: string;
    /** When the next `up` replaces the token (half its lifetime). */
    renewAfter: string;
    /** Whether it is past that point: set by refresh, so that a refresh shows a renewal due. */
    renewalDue: boolean;
}

/** The TokenRequest kubectl prints with `-o json`. */
interface TokenRequest {
    status?: { token?: string; expirationTimestamp?: string };
}

/**
 * Mints a token through the TokenRequest API with the pinned kubectl (`kubectl create token`),
 * the kubeconfig in a private 0600 file; the token only ever goes to stdout, never to argv.
 */
async function mint(inputs: TokenInputs): Promise<TokenOutputs> {
    const issuedAt = new Date().toISOString();
    const printed = await withKubectl(inputs.kubeconfig, (kubectl) =>
        // kubectl create token takes no `--`: check refuses a name that could read as a flag.
        kubectl([
            "create",
            "token",
            inputs.serviceAccount,
            "--namespace",
            inputs.namespace,
            `--duration=${inputs.ttlHours}h`,
            "--output=json",
        ]),
    );
    const status = (JSON.parse(printed) as TokenRequest).status;
    if (!status?.token || !status.expirationTimestamp) {
        throw new Error(
            `the TokenRequest for service account ${inputs.namespace}/${inputs.serviceAccount} returned no token or expiry`,
        );
    }
    const lifetime = { issuedAt, expiresAt: status.expirationTimestamp };
    return {
        ...inputs,
        token: status.token,
        ...lifetime,
        renewAfter: renewalPoint(lifetime).toISOString(),
        renewalDue: false,
    };
}

/**
 * Why the token must be minted anew (a replacement, made before the old one goes): what it is
 * minted from changed, or half of its lifetime has passed at `now` (then `expiresAt`). Every
 * `up` thus renews it before it expires, and a preview shows the renewal as a replacement.
 */
export function replacementReasons(olds: TokenOutputs, news: TokenInputs, now: Date): string[] {
    const changed: string[] = changedKeys<TokenInputs>(olds, news, [
        "kubeconfig",
        "namespace",
        "serviceAccount",
        "ttlHours",
    ]);
    return changed.length === 0 && renewalDue(olds, now) ? ["expiresAt"] : changed;
}

/**
 * A token from the TokenRequest API is minted by kube-apiserver itself: unlike the legacy
 * token Secrets (filled by kube-controller-manager's serviceaccount-token controller) it needs
 * no controller, only the service account, which the stack makes.
 */
export const tokenProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: unknown, news: TokenInputs) {
        const failures = [
            ...checkInteger("ttlHours", news.ttlHours, 1, MAX_TOKEN_TTL_HOURS),
            ...checkDnsLabel("namespace", news.namespace),
            ...checkDnsLabel("serviceAccount", news.serviceAccount),
        ].map((issue) => ({ property: issue.field, reason: issue.message }));
        return { inputs: news, failures };
    },

    async diff(_id: string, olds: TokenOutputs, news: TokenInputs) {
        const replaces = replacementReasons(olds, news, new Date());
        return { changes: replaces.length > 0, replaces };
    },

    async create(inputs: TokenInputs) {
        const outs = await mint(inputs);
        return { id: `${inputs.namespace}/${inputs.serviceAccount}@${outs.issuedAt}`, outs };
    },

    /** Observes the clock only: whether the token is now due for renewal. */
    async read(id: string, props: TokenOutputs) {
        return { id, props: { ...props, renewalDue: renewalDue(props, new Date()) } };
    },

    /**
     * Nothing to undo: a bound token cannot be revoked by itself. It ends at its expiry, or
     * with its service account.
     */
    async delete() {},
};

/**
 * A service account's token from the TokenRequest API, with an expiry: renewed by the first
 * `up` after half of its lifetime (see renewal.ts). The token is a secret output.
 */
export class ServiceAccountToken extends pulumi.dynamic.Resource {
    public readonly token!: pulumi.Output<string>;
    public readonly expiresAt!: pulumi.Output<string>;
    public readonly renewAfter!: pulumi.Output<string>;
    public readonly renewalDue!: pulumi.Output<boolean>;

    constructor(name: string, args: ServiceAccountTokenArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            tokenProvider,
            name,
            {
                ...args,
                kubeconfig: pulumi.secret(args.kubeconfig),
                token: undefined,
                issuedAt: undefined,
                expiresAt: undefined,
                renewAfter: undefined,
                renewalDue: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["kubeconfig", "token"] }),
            "tokens",
            "ServiceAccountToken",
        );
    }
}
