import * as path from "path";

/**
 * The project's policy pack (policy/), which every preview and update of a run goes through:
 * a mandatory violation fails the preview, before anything is created.
 */
export const POLICY_PACK = path.resolve(__dirname, "../policy");
