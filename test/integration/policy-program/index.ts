/**
 * Registers resources for the policy pack's test (test/integration/policy.test.ts): the
 * examples of each rule kept or broken, or, with `replay` set, the resources a program
 * registered under mocks (a JSON file of test/support/mocks' RecordedResource).
 */
import * as pulumi from "@pulumi/pulumi";
import { examples } from "./examples";
import { replay } from "./replay";

const file = new pulumi.Config().get("replay");
if (file === undefined) {
    examples();
} else {
    replay(file);
}
