/**
 * A run's stack in miniature: one dynamic resource whose create, when `holdDir` is set, writes
 * `started` there and waits until `release` appears, so that a test can act mid-update.
 */
import * as pulumi from "@pulumi/pulumi";

interface StepInputs {
    value: string;
    holdDir?: string;
}

const provider: pulumi.dynamic.ResourceProvider<StepInputs, StepInputs> = {
    async create(inputs) {
        const fs = require("fs") as typeof import("fs");
        const path = require("path") as typeof import("path");
        if (inputs.holdDir) {
            fs.writeFileSync(path.join(inputs.holdDir, "started"), String(process.pid));
            const deadline = Date.now() + 120_000;
            while (!fs.existsSync(path.join(inputs.holdDir, "release")) && Date.now() < deadline) {
                await new Promise((r) => setTimeout(r, 100));
            }
        }
        return { id: inputs.value, outs: inputs };
    },
};

class Step extends pulumi.dynamic.Resource {
    constructor(name: string, args: { value: string; holdDir?: string }) {
        super(provider, name, args, {});
    }
}

const config = new pulumi.Config();
const step = new Step("step", {
    value: config.get("value") ?? pulumi.getStack(),
    holdDir: config.get("holdDir"),
});

export const value = step.id;
