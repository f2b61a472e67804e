package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// exitAfterLoggedError is the code @pulumi/pulumi's cmd/run exits with once it has already
// shown the user an actionable error; the engine must then not print a second, generic one.
const exitAfterLoggedError = 32

// runtimeOptions are the `runtime.options` of Pulumi.yaml that this host honours.
type runtimeOptions struct {
	typescript bool
	nodeArgs   []string
	tsconfig   string
}

func parseRuntimeOptions(info *pulumirpc.ProgramInfo) runtimeOptions {
	opts := runtimeOptions{typescript: true}
	if info == nil || info.GetOptions() == nil {
		return opts
	}
	fields := info.GetOptions().AsMap()
	if v, ok := fields["typescript"].(bool); ok {
		opts.typescript = v
	}
	if v, ok := fields["nodeargs"].(string); ok {
		opts.nodeArgs = strings.Fields(v)
	}
	if v, ok := fields["tsconfig"].(string); ok {
		opts.tsconfig = v
	}
	return opts
}

// runCommand builds the node command line and environment for a RunRequest.
func runCommand(req *pulumirpc.RunRequest, engine, runScript string) ([]string, []string, error) {
	opts := parseRuntimeOptions(req.GetInfo())
	args := append([]string{}, opts.nodeArgs...)
	args = append(args, runScript,
		"--monitor="+req.GetMonitorAddress(),
		"--engine="+engine,
		"--project="+req.GetProject(),
		"--stack="+req.GetStack(),
		"--pwd="+req.GetPwd(),
		"--parallel="+strconv.Itoa(int(req.GetParallel())),
	)
	if req.GetOrganization() != "" {
		args = append(args, "--organization="+req.GetOrganization())
	}
	if root := req.GetInfo().GetRootDirectory(); root != "" {
		args = append(args, "--root-directory="+root)
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	entry := req.GetProgram()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, nil, err
	}
	secretKeys, err := json.Marshal(nonNil(req.GetConfigSecretKeys()))
	if err != nil {
		return nil, nil, err
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript),
	)
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return args, env, nil
}

func nonNil(keys []string) []string {
	if keys == nil {
		return []string{}
	}
	return keys
}

// sdkRunScript finds @pulumi/pulumi's language-host entry point in the program's node_modules.
func sdkRunScript(programDir string) (string, error) {
	modules, err := nodeModules(programDir)
	if err != nil {
		return "", err
	}
	script := filepath.Join(modules, "@pulumi", "pulumi", "cmd", "run")
	if _, err := os.Stat(filepath.Join(script, "index.js")); err != nil {
		return "", fmt.Errorf("@pulumi/pulumi is not installed in %s: run `npm ci` first", modules)
	}
	return script, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	programDir := programDirectory(req.GetInfo(), req.GetPwd())
	script, err := sdkRunScript(programDir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "node is not on PATH: " + err.Error()}, nil
	}
	args, env, err := runCommand(req, h.engine(), script)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	err = cmd.Run()

	var exit *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exit) && exit.ExitCode() == exitAfterLoggedError:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exit):
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode()),
		}, nil
	default:
		return &pulumirpc.RunResponse{Error: "could not run node: " + err.Error()}, nil
	}
}
