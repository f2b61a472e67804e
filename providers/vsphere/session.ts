import * as pulumi from "@pulumi/pulumi";
import { isGovcError, GovcTarget } from "../govc/runner";
import { VCenterConnection } from "./connection";

/**
 * A resource's stored view of its vCenter: the connection but its password, which travels as a
 * top-level property of its own so that it alone is marked secret.
 */
export interface Session {
    server: string;
    username: string;
    thumbprint: string;
    datacenter: string;
    simulatedGuestAddresses: boolean;
}

/** The properties every vSphere resource carries to reach its vCenter. */
export interface SessionProps {
    session: Session;
    password: string;
}

/** Secret outputs every vSphere resource declares. */
export const SESSION_SECRETS = ["password"];

export function sessionInputs(connection: VCenterConnection) {
    return {
        session: pulumi.output({
            server: connection.server,
            username: connection.username,
            thumbprint: connection.thumbprint,
            datacenter: connection.datacenter,
            simulatedGuestAddresses: connection.simulatedGuestAddresses ?? false,
        }),
        // A secret in inputs too (additionalSecretOutputs covers the outputs only).
        password: pulumi.secret(connection.password),
    };
}

/** Where govc goes for a resource, with the datacenter in which relative paths resolve. */
export function targetOf(props: SessionProps): GovcTarget {
    return {
        url: `https://${props.session.server}/sdk`,
        username: props.session.username,
        password: props.password,
        thumbprint: props.session.thumbprint,
        datacenter: props.session.datacenter,
    };
}

/**
 * Runs `body`, which reads or removes an object. A simulator keeps its inventory in memory: once
 * it stops answering, its objects are gone with it, so the answer is "nothing there" and refresh
 * or destroy go on. A real vCenter that does not answer is an error.
 */
export async function whileReachable<T>(
    props: SessionProps,
    body: () => Promise<T>,
): Promise<T | undefined> {
    try {
        return await body();
    } catch (err) {
        const unreachable = isGovcError(err) && /connection refused|no such host/i.test(err.stderr);
        if (props.session.simulatedGuestAddresses && unreachable) {
            return undefined;
        }
        throw err;
    }
}
