/**
 * Import first, before @pulumi/pulumi: a mocked program's root directory is then this project,
 * as under the engine (Pulumi's mocks default it to "rootDirectory"), so files the
 * configuration names must lie inside the project here too.
 */
import * as path from "path";

process.env.PULUMI_NODEJS_ROOT_DIRECTORY = path.resolve(__dirname, "../..");
