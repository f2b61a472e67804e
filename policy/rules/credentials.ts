import { ResourceValidationPolicy } from "@pulumi/policy";
import { isSecret, rawInputs } from "./secrets";

/** Input names that hold a credential: a password, a token, a private key, a kubeconfig. */
const CREDENTIAL = /(password|passwd|token|private_?key|kubeconfig)$/i;

/** Paths of plaintext credential inputs below `value`. */
export function plaintextCredentials(value: unknown, path = ""): string[] {
    if (isSecret(value) || value === null || typeof value !== "object") {
        return [];
    }
    const found: string[] = [];
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
        if (CREDENTIAL.test(key) && typeof child === "string" && child !== "" && !isSecret(child)) {
            found.push(at);
        } else {
            found.push(...plaintextCredentials(child, at));
        }
    }
    return found;
}

export const noPlaintextCredentials: ResourceValidationPolicy = {
    name: "no-plaintext-credentials",
    description:
        "No input that looks like a credential (password, token, private key, kubeconfig) is plaintext.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const found = plaintextCredentials(rawInputs(args.props));
        if (found.length > 0) {
            report(`plaintext credential inputs: ${found.join(", ")} (make them Pulumi secrets)`);
        }
    },
};
