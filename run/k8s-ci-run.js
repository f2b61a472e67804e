#!/usr/bin/env node
// The package's bin: runs run/cli.ts through ts-node (its types are checked by `npm run lint`).
/* global __dirname, console */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS bin */
"use strict";
const path = require("path");
require("ts-node").register({
    transpileOnly: true,
    project: path.join(__dirname, "..", "tsconfig.json"),
});
const { main, USAGE, UsageError } = require("./cli.ts");
main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (err) => {
        console.error(err instanceof Error ? err.message : String(err));
        if (err instanceof UsageError) {
            console.error(USAGE);
            process.exit(2);
        }
        process.exit(1);
    },
);
