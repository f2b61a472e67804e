import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { settle, setupMocks } from "../support/mocks";
import {
    BAD_INPUT_CASES,
    BadInputCase,
    caseTitle,
    CI_BASELINE,
    CI_SECRETS,
    createOutsideFiles,
    LOCAL_BASELINE,
    refusalProblem,
    removeOutsideFiles,
} from "../support/bad-input-cases";
import type * as ConfigModule from "../../stacks/config";

const ROOT = path.resolve(__dirname, "../..");

let config: typeof ConfigModule;

beforeAll(async () => {
    await setupMocks();
    config = await import("../../stacks/config");
    createOutsideFiles();
});

afterAll(() => {
    removeOutsideFiles();
    return settle();
});

/** The refusal of `values` on `stack`'s baseline, or undefined when it is accepted. */
function refusal(stack: BadInputCase["stack"], values: Record<string, string>): string | undefined {
    const all = { ...(stack === "ci" ? CI_BASELINE : LOCAL_BASELINE), ...values };
    const secrets = stack === "ci" ? CI_SECRETS : {};
    const source = {
        get: (key: string) => all[key],
        getSecret: (key: string) =>
            secrets[key] === undefined ? undefined : pulumi.secret(secrets[key]),
    };
    try {
        config.readSettings(source, "local-bad-input", ROOT);
        return undefined;
    } catch (err) {
        return (err as Error).message;
    }
}

describe("the bad-input cases (test/integration/bad-input.test.ts runs them on the engine)", () => {
    it.each(["local", "ci"] as const)("start from a %s baseline that is valid", (stack) => {
        expect(refusal(stack, {})).toBeUndefined();
    });

    it("are at least 40, on both stacks, and each one distinct", () => {
        expect(BAD_INPUT_CASES.length).toBeGreaterThanOrEqual(40);
        expect(new Set(BAD_INPUT_CASES.map((c) => c.stack))).toEqual(new Set(["local", "ci"]));
        const titles = BAD_INPUT_CASES.map(caseTitle);
        expect(new Set(titles).size).toBe(titles.length);
    });

    it.each(BAD_INPUT_CASES.map((c) => [caseTitle(c), c] as const))(
        "refuses %s, naming the key and the rule",
        (_, c) => {
            const message = refusal(c.stack, c.config);
            expect(message).toBeDefined();
            expect(refusalProblem(c, message!)).toBeUndefined();
        },
    );
});
