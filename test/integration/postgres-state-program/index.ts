/**
 * A run's stack in miniature: one dynamic resource whose create or update, when `holdDir` is set,
 * writes `started` there and waits until `release` appears, so that a test can act mid-update.
 */
import * as pulumi from "@pulumi/pulumi";

interface StepInputs {
    value: string;
    holdDir?: string;
}

async function held(inputs: StepInputs): Promise<void> {
    const fs = require("fs") as typeof import("fs");
    const path = require("path") as typeof import("path");
    if (inputs.holdDir) {
        fs.writeFileSync(path.join(inputs.holdDir, "started"), String(process.pid));
        const deadline = Date.now() + 120_000;
        while (!fs.existsSync(path.join(inputs.holdDir, "release")) && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 100));
        }
    }
}

const provider: pulumi.dynamic.ResourceProvider<StepInputs, StepInputs> = {
    async create(inputs) {
        await held(inputs);
        return { id: inputs.value, outs: inputs };
    },
    async update(_id, _olds, news) {
        await held(news);
        return { outs: news };
    },
};

class Step extends pulumi.dynamic.Resource {
    declare readonly value: pulumi.Output<string>;

    constructor(name: string, args: { value: string; holdDir?: string }) {
        super(provider, name, args, {});
    }
}

const config = new pulumi.Config();
const step = new Step("step", {
    value: config.get("value") ?? pulumi.getStack(),
    holdDir: config.get("holdDir"),
});

export const value = step.value;
