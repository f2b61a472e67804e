/** When a service-account token is renewed, from when it was minted and when it expires. */

/** The longest token lifetime the program asks for: 30 days. */
export const MAX_TOKEN_TTL_HOURS = 720;

/** A minted token's lifetime, as RFC 3339 times. */
export interface TokenLifetime {
    issuedAt: string;
    /** The TokenRequest's status.expirationTimestamp: the API server may shorten what was asked. */
    expiresAt: string;
}

/**
 * When the token is due for renewal: once half of its lifetime has passed (36 h into a 72 h
 * token). An `up` run at least once per half-lifetime thus always replaces the token before it
 * expires, and Prow never holds one with less than half its life left after an `up`.
 */
export function renewalPoint(token: TokenLifetime): Date {
    const issued = Date.parse(token.issuedAt);
    const expires = Date.parse(token.expiresAt);
    return new Date(issued + (expires - issued) / 2);
}

/** Whether the token is due for renewal at `now`; a lifetime that does not parse is due. */
export function renewalDue(token: TokenLifetime, now: Date): boolean {
    const point = renewalPoint(token).getTime();
    return Number.isNaN(point) || now.getTime() >= point;
}
