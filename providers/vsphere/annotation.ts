/**
 * The VM annotation (its vSphere "Notes") that tells janitors whose VM it is and when it may go:
 * one `key=value` line per label, sorted, then `expires-at=<RFC 3339>` when an expiry is set.
 */
export function renderAnnotation(labels: Record<string, string>, expiresAt?: string): string {
    const lines = Object.keys(labels)
        .sort()
        .map((k) => `${k}=${labels[k]}`);
    if (expiresAt) {
        lines.push(`expires-at=${expiresAt}`);
    }
    return lines.join("\n");
}
