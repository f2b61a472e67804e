/**
 * The state backend a run shares with other runners (PULUMI_BACKEND_URL: file://, postgres://,
 * gs://, s3://, azblob://). A postgres:// URL may carry its role's password, which the CLI masks
 * in its own errors; a run scrubs it from every artifact too.
 */
export interface BackendEnvironment {
    PULUMI_BACKEND_URL?: string;
}

/** The URL's password as written and decoded: what to scrub. None for a URL without one. */
export function backendSecrets(env: BackendEnvironment): string[] {
    let password: string;
    try {
        password = new URL(env.PULUMI_BACKEND_URL ?? "").password;
    } catch {
        return [];
    }
    if (password === "") {
        return [];
    }
    try {
        return [...new Set([password, decodeURIComponent(password)])];
    } catch {
        return [password]; // a malformed escape: the CLI cannot use it either
    }
}
