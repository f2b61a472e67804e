/** Unit tests run under Pulumi mocks; integration tests drive the real engine on local stacks. */
const shared = {
    preset: "ts-jest",
    testEnvironment: "node",
    transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
};

module.exports = {
    // A time limit is no assertion: on a busy 2-core machine a hook that starts sshd or settles
    // Pulumi's mocks can take far over jest's 5 s default.
    testTimeout: 120_000,
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
