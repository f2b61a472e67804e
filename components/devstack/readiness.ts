import { quote, retryLines } from "./shell";

/**
 * Waits for the controller's cloud-init (DevStack installs from its runcmd). Exit 2 is cloud-init
 * 23.4+'s "done, with recoverable errors" (deprecated keys and the like), which DevStack survives.
 */
export const CLOUD_INIT_WAIT = "cloud-init status --wait --long || [ $? -eq 2 ]";

/** The Identity API check, run locally through the tunnel, as CAPO's create_devstack.sh's `openstack versions show`. */
export interface ApiCheck {
    /** Keystone on the controller's private address, which only the tunnel routes. */
    url: string;
    attempts: number;
    retrySeconds: number;
    timeoutSeconds: number;
}

/** Keystone's v3 endpoint under DevStack's `/identity` prefix on the controller's private address. */
export function identityUrl(controllerIp: string): string {
    return `http://${controllerIp}/identity/v3`;
}

/** Prints Keystone's version document once it answers; fails after the last attempt. */
export function identityCheckScript(c: ApiCheck): string {
    return [
        "set -uo pipefail",
        ...retryLines(
            `curl --fail --silent --show-error --max-time ${c.timeoutSeconds} ${quote(c.url)}`,
            c.attempts,
            c.retrySeconds,
            `the Identity API at ${c.url} did not answer in ${c.attempts} attempts`,
        ),
    ].join("\n");
}
