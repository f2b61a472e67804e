/**
 * The state backend a run shares with other runners (PULUMI_BACKEND_URL: file://, postgres://,
 * gs://, s3://, azblob://). A postgres:// URL may carry its role's password. The CLI masks it in
 * its errors, but keys its own files by the whole URL (PULUMI_HOME/workspaces/*.json holds each
 * backend's selected stack), so a run moves it to PGPASSWORD, which the CLI's driver (lib/pq)
 * reads, and scrubs it from every artifact.
 */
export interface BackendEnvironment {
    PULUMI_BACKEND_URL?: string;
    PGPASSWORD?: string;
}

function decoded(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text; // a malformed escape: the driver cannot use it either
    }
}

/** Moves a postgres:// URL's password into PGPASSWORD (in place), the URL left without it. */
export function movePasswordOutOfUrl(env: BackendEnvironment): void {
    const value = env.PULUMI_BACKEND_URL ?? "";
    if (!value.startsWith("postgres://")) {
        return;
    }
    const url = new URL(value);
    if (url.password === "") {
        return;
    }
    env.PGPASSWORD = decoded(url.password);
    url.password = "";
    env.PULUMI_BACKEND_URL = url.toString();
}

/** The backend's password, as the URL writes it and decoded, and PGPASSWORD: what to scrub. */
export function backendSecrets(env: BackendEnvironment): string[] {
    let password = "";
    try {
        password = new URL(env.PULUMI_BACKEND_URL ?? "").password;
    } catch {
        // not a URL: no password in it
    }
    const secrets = [password, decoded(password), env.PGPASSWORD ?? ""].filter((s) => s !== "");
    return [...new Set(secrets)];
}
