/** Stack outputs for a job's script: JSON, or shell code (`eval "$(k8s-ci-run outputs --shell)"`). */
import type { OutputMap } from "@pulumi/pulumi/automation";

/** `text` as one single-quoted shell word. */
export function shellWord(text: string): string {
    return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** An output's name as a variable: `vcenterServer` -> `VCENTER_SERVER`. */
export function variableName(output: string): string {
    return output
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .replace(/[^A-Za-z0-9_]/g, "_")
        .toUpperCase();
}

/** `export NAME='value'` per output; objects as JSON; secrets only when `showSecrets`. */
export function shellExports(outputs: OutputMap, showSecrets: boolean): string {
    return Object.entries(outputs)
        .filter(([, o]) => showSecrets || !o.secret)
        .map(([name, o]) => {
            const value = typeof o.value === "string" ? o.value : JSON.stringify(o.value);
            return `export ${variableName(name)}=${shellWord(value)}\n`;
        })
        .join("");
}

/** The outputs as a JSON object of values; a secret shows as [secret] unless `showSecrets`. */
export function outputsJson(outputs: OutputMap, showSecrets: boolean): string {
    const values = Object.entries(outputs).map(([name, o]) => [
        name,
        o.secret && !showSecrets ? "[secret]" : o.value,
    ]);
    return `${JSON.stringify(Object.fromEntries(values), null, 2)}\n`;
}
