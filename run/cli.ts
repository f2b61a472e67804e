/**
 * k8s-ci-run: the Automation API entry point a Prow job runs (DESIGN decision 6). `--help` says
 * what each command does.
 */
import * as path from "path";
import { BackendEnvironment, backendSecrets, movePasswordOutOfUrl } from "./backend-url";
import { RunRecorder } from "./recorder";
import { removeStackWithBackups } from "./remove-stack";
import { configJson, projectKey, runConfig } from "./run-config";
import { openRunStack, ROOT, selectRunStack } from "./run-stack";
import { outputsJson, shellExports } from "./shell-exports";
import { environmentSettings, requestedEnvironments, RunEnvironment } from "./prow-environment";
import { ttlHoursOf } from "./expiry";
import { janitor, withoutLitter } from "./janitor";
import { markExpiry } from "./janitor-mark";
import { runJob } from "./run-job";
import { RUN_STACK_PREFIX, runStackName } from "./stack-name";
import { clearStaleLocks, describeLocks } from "./state-lock";
import { previewToArtifacts, runDown, runUp } from "./steps";
import { COLOR } from "./zone-fallback";

export const USAGE = `usage: k8s-ci-run COMMAND [--stack NAME] [ARGS...]

One stack per Prow run, ci-<JOB_NAME>-<BUILD_ID> (or --stack NAME), configured from
Pulumi.ci.yaml, the job's environment and its Boskos lease. Artifacts go to $ARTIFACTS.

commands:
  run [ENVIRONMENT...]   the whole job: lease (with BOSKOS_HOST), preview, up, collect artifacts,
                         destroy, release; the exit code is the CI result. SIGINT or SIGTERM
                         cancels the update, then destroys and releases.
  up [ENVIRONMENT...]    configure, preview into $ARTIFACTS, then up (with the zone fallback)
  preview [ENVIRONMENT...]  configure, then preview into $ARTIFACTS/pulumi-preview.{md,json}
  refresh                reconcile the run's stack with reality
  outputs [--shell] [--show-secrets]
                         the stack's outputs as JSON, or as shell exports (secrets left out
                         unless --show-secrets)
  destroy                destroy the run's stack and remove it (down is the same)
  janitor [--yes] [--now ISO-TIME] [--prefix P]
                         destroy run stacks whose time to live (runTtlHours) has passed or whose
                         teardown failed, and on vSphere what is left in their run folder; a dry
                         run unless --yes; --now judges as at that time; --prefix P looks
                         only at stacks named ci-P...; a due stack locked by a killed run
                         (a lock older than its runTtlHours) is unlocked, then destroyed
  unlock [--now ISO-TIME]
                         clear the run's stack's lock left by an update that was killed
                         (SIGKILL), once it is older than the stack's runTtlHours: a younger
                         one may be a live update, and is refused (\`hack/run pulumi cancel
                         --stack NAME --yes\` clears any lock)

ENVIRONMENT is vmc or devstack (else $CI_ENVIRONMENTS, else Pulumi.ci.yaml's ciEnvironments).
The environment: JOB_NAME, BUILD_ID, PROW_JOB_ID, PULL_NUMBER, ARTIFACTS (Prow's);
GOVC_URL, GOVC_USERNAME, GOVC_PASSWORD, VSPHERE_TLS_THUMBPRINT or VSPHERE_SERVER,
VSPHERE_USERNAME, VSPHERE_PASSWORD (the vCenter); BOSKOS_HOST, BOSKOS_RESOURCE_TYPE (the lease,
default gcve-vsphere-project), BOSKOS_ACQUIRE_TIMEOUT (how long to wait while none is free: a Go
duration or seconds, default 30m). --settings FILE starts from another settings file than
Pulumi.ci.yaml (its composition, else ci).
`;

/** The command line: the command, its words, and its flags. */
export interface CommandLine {
    command: string;
    words: string[];
    flags: Map<string, string | true>;
}

const COMMANDS = [
    "run",
    "up",
    "preview",
    "refresh",
    "outputs",
    "destroy",
    "down",
    "janitor",
    "unlock",
];

const VALUE_FLAGS = new Set(["--stack", "--now", "--settings", "--prefix"]);

export function parseCommandLine(argv: string[]): CommandLine {
    const [command = "--help", ...rest] = argv;
    const words: string[] = [];
    const flags = new Map<string, string | true>();
    for (let i = 0; i < rest.length; i++) {
        const arg = rest[i];
        if (!arg.startsWith("--")) {
            words.push(arg);
        } else if (arg.includes("=")) {
            flags.set(arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1));
        } else if (VALUE_FLAGS.has(arg)) {
            const value = rest[++i];
            if (value === undefined) {
                throw new UsageError(`${arg} needs a value`);
            }
            flags.set(arg, value);
        } else {
            flags.set(arg, true);
        }
    }
    return { command, words, flags };
}

export class UsageError extends Error {}

/** The job's credentials, scrubbed from every artifact: the vCenter's and the state backend's. */
export function jobSecrets(env: RunEnvironment & BackendEnvironment): string[] {
    return Object.values(environmentSettings(env))
        .filter((s) => s.secret)
        .map((s) => s.value)
        .concat(backendSecrets(env));
}

/** --now, else now. */
function nowOf(line: CommandLine): Date {
    const at = line.flags.get("--now");
    const now = typeof at === "string" ? new Date(at) : new Date();
    if (Number.isNaN(now.getTime())) {
        throw new UsageError(`--now ${String(at)} is not a time`);
    }
    return now;
}

async function janitorCommand(line: CommandLine, env: RunEnvironment): Promise<number> {
    const now = nowOf(line);
    const prefix = line.flags.get("--prefix");
    const report = await janitor({
        workDir: ROOT,
        namePrefix: typeof prefix === "string" ? `${RUN_STACK_PREFIX}${prefix}` : undefined,
        now,
        apply: line.flags.get("--yes") === true,
        log: (text) => process.stdout.write(text),
        env,
        destroy: async (stack) => {
            await stack.destroy({ onOutput: (t) => process.stdout.write(t), color: COLOR });
            removeStackWithBackups(stack);
        },
    });
    return report.failures.length === 0 ? 0 : 1;
}

/** Clears the stack's locks if every one is older than its runTtlHours (state-lock.ts). */
async function unlockCommand(line: CommandLine, stackName: string): Promise<number> {
    const now = nowOf(line);
    let code = 1;
    await withoutLitter(path.join(ROOT, `Pulumi.${stackName}.yaml`), async () => {
        const stack = await selectRunStack(stackName);
        const config = await stack.getAllConfig();
        const ttlHours = ttlHoursOf(config[projectKey("runTtlHours")]?.value);
        const result = await clearStaleLocks(stack, ttlHours, now);
        const locks = result.locks.length > 0 ? `:\n${describeLocks(result.locks)}` : "";
        if (result.cleared) {
            process.stdout.write(
                `${stackName}: cleared ${result.locks.length} lock(s) older than runTtlHours (${ttlHours} h)${locks}\n`,
            );
            code = 0;
        } else if (result.locks.length === 0) {
            process.stdout.write(`${stackName}: ${result.why}\n`);
            code = 0;
        } else {
            process.stderr.write(
                `${stackName}: refused: ${result.why}${locks}\nIf no update of it is running: hack/run pulumi cancel --stack ${stackName} --yes\n`,
            );
        }
    });
    return code;
}

/**
 * Runs the command; resolves to the process's exit code. `env` is the process's environment (the
 * bin's process.env), which every CLI it starts inherits.
 */
export async function main(
    argv: string[],
    env: RunEnvironment & BackendEnvironment,
): Promise<number> {
    movePasswordOutOfUrl(env);
    const line = parseCommandLine(argv);
    const flag = (name: string) => line.flags.get(name);
    if (line.command === "--help" || line.command === "-h" || line.command === "help") {
        process.stdout.write(USAGE);
        return 0;
    }
    if (flag("--help")) {
        process.stdout.write(USAGE);
        return 0;
    }
    if (!COMMANDS.includes(line.command)) {
        throw new UsageError(`unknown command ${line.command}`);
    }
    if (line.command === "janitor") {
        return janitorCommand(line, env);
    }
    const stackFlag = flag("--stack");
    const stackName = typeof stackFlag === "string" ? stackFlag : runStackName(env);
    if (line.command === "unlock") {
        return unlockCommand(line, stackName);
    }
    const recorder = new RunRecorder(env.ARTIFACTS);
    const settings = flag("--settings");
    const ciStackFile =
        typeof settings === "string" ? path.resolve(settings) : path.join(ROOT, "Pulumi.ci.yaml");
    const requested = requestedEnvironments(line.words, env);
    const config = (leased: Record<string, string> = {}) =>
        runConfig(ciStackFile, env, requested, leased);
    switch (line.command) {
        case "run": {
            const stack = await openRunStack(stackName);
            return runJob({
                stack,
                config,
                remove: () => removeStackWithBackups(stack),
                recorder,
                env,
                secrets: jobSecrets(env),
            });
        }
        case "up": {
            const stack = await openRunStack(stackName);
            const values = config();
            await markExpiry(stack, values);
            await runUp(stack, values, recorder);
            return 0;
        }
        case "preview": {
            const stack = await openRunStack(stackName);
            await stack.setAllConfigJson(configJson(config()));
            await previewToArtifacts(stack, recorder);
            return 0;
        }
        case "refresh": {
            const stack = await selectRunStack(stackName);
            await stack.refresh({ onOutput: recorder.log(), color: COLOR });
            return 0;
        }
        case "outputs": {
            const outputs = await (await selectRunStack(stackName)).outputs();
            const showSecrets = flag("--show-secrets") === true;
            process.stdout.write(
                flag("--shell")
                    ? shellExports(outputs, showSecrets)
                    : outputsJson(outputs, showSecrets),
            );
            return 0;
        }
        case "destroy":
        case "down": {
            const stack = await selectRunStack(stackName);
            await runDown(stack, recorder, () => removeStackWithBackups(stack));
            return 0;
        }
        default:
            throw new UsageError(`unknown command ${line.command}`);
    }
}
