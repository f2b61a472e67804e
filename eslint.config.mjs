import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "hack/tools/bin/", ".pulumi/", "out/", "coverage/", "bin/"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        rules: {
            // An Output in a template literal renders as a warning string, not its value:
            // use pulumi.interpolate (what @pulumi/eslint-plugin checks; its 0.3.1 tarball is empty).
            "@typescript-eslint/restrict-template-expressions": [
                "error",
                { allowNumber: true, allowBoolean: true, allowNullish: true },
            ],
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-misused-promises": "error",
            "@typescript-eslint/await-thenable": "error",
            // Dynamic providers require() Node built-ins inside methods on purpose.
            "@typescript-eslint/no-require-imports": "off",
        },
    },
    {
        // Recorded resource inputs are untyped JSON.
        files: ["test/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
    {
        files: ["**/*.js", "**/*.mjs"],
        languageOptions: {
            globals: { module: "readonly", require: "readonly", process: "readonly" },
        },
    },
);
