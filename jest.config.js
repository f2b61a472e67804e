/** Unit tests run under Pulumi mocks; integration tests drive the real engine on local stacks. */
const shared = {
    preset: "ts-jest",
    testEnvironment: "node",
    transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
};

module.exports = {
    globalTeardown: "<rootDir>/test/support/leaked-processes.ts",
    projects: [
        { ...shared, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
        {
            ...shared,
            displayName: "integration",
            testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
        },
    ],
};
