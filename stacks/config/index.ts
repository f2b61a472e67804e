/**
 * The one typed configuration module: every key of the project is read, defaulted and
 * validated here, at preview time, before any resource exists. One error names each
 * offending key and its rule.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { checkInteger, checkOneOf, checkPattern } from "../../providers/validation";
import { readCi } from "./ci";
import { PROJECT } from "./keys";
import { readCluster, readLocal } from "./local";
import { checkOutputDir } from "./paths";
import { ConfigSource, Reader } from "./reader";
import { readVmc } from "./vmc";
import { readSupervisor } from "./supervisor";
import { COMPOSITIONS, CommonSettings, Composition, StackSettings } from "./types";

export * from "./keys";
export * from "./types";
export { DEVSTACK_KEYS, PROW_IS_LONG_LIVED } from "./ci";
export { configError, Reader } from "./reader";
export type { ConfigSource } from "./reader";
export type { ProwConfig } from "./prow";
export type { VmcSettings } from "./vmc";

/** Reads and validates the whole configuration of `stack` rooted at `rootDir`. */
export function readSettings(source: ConfigSource, stack: string, rootDir: string): StackSettings {
    const reader = new Reader(source);
    const composition = reader.get("composition") as Composition;
    reader.report(checkOneOf("composition", composition, COMPOSITIONS));
    const run = {
        stack,
        jobName: reader.get("jobName"),
        buildId: reader.get("buildId"),
        prowJobId: reader.get("prowJobId"),
        pullNumber: reader.get("pullNumber"),
        ttlHours: reader.get("runTtlHours"),
    };
    reader.report(checkInteger("runTtlHours", run.ttlHours, 1, 720));
    reader.report(checkPattern("pullNumber", run.pullNumber, /^(\d+)?$/, "a pull request number"));
    const outputDir = reader.get("outputDir");
    reader.report(checkOutputDir("outputDir", outputDir, rootDir));
    const common: CommonSettings = {
        stack,
        stackDir: path.resolve(rootDir, outputDir, stack),
        cluster: readCluster(reader),
        run,
        supervisor: readSupervisor(reader, rootDir, composition, reader.get("envVarMode")),
    };
    const settings = composition === "ci" ? readCi(reader, common) : readLocal(reader, common);
    settings.vmc = readVmc(reader, rootDir, settings);
    reader.failIfAny();
    return settings;
}

/** The settings of the running stack. */
export function loadSettings(): StackSettings {
    return readSettings(new pulumi.Config(PROJECT), pulumi.getStack(), pulumi.getRootDirectory());
}
