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

	config, err := configEnv(req.GetConfig(), req.GetConfigSecretKeys())
	if err != nil {
		return nil, nil, err
	}
	env := append(os.Environ(), config...)
	env = append(env, "PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript))
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return args, env, nil
}

// configEnv is the stack's configuration as @pulumi/pulumi reads it: PULUMI_CONFIG, a JSON object
// (never `null`: the SDK reads an empty stack's config as an object), and PULUMI_CONFIG_SECRET_KEYS,
// a JSON array.
func configEnv(config map[string]string, secretKeys []string) ([]string, error) {
	if config == nil {
		config = map[string]string{}
	}
	if secretKeys == nil {
		secretKeys = []string{}
	}
	c, err := json.Marshal(config)
	if err != nil {
		return nil, err
	}
	k, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	return []string{"PULUMI_CONFIG=" + string(c), "PULUMI_CONFIG_SECRET_KEYS=" + string(k)}, nil
}

// sdkScript finds one of @pulumi/pulumi's entry points for language hosts (cmd/run,
// cmd/run-policy-pack, cmd/run-plugin) in the program's node_modules.
func sdkScript(programDir, entry string) (string, error) {
	modules, err := nodeModules(programDir)
	if err != nil {
		return "", err
	}
	script := filepath.Join(modules, "@pulumi", "pulumi", "cmd", entry)
	if _, err := os.Stat(filepath.Join(script, "index.js")); err != nil {
		return "", fmt.Errorf("@pulumi/pulumi is not installed in %s: run `npm ci` first", modules)
	}
	return script, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	programDir := programDirectory(req.GetInfo(), req.GetPwd())
	script, err := sdkScript(programDir, "run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	if _, err := exec.LookPath("node"); err != nil {
		return &pulumirpc.RunResponse{Error: "node is not on PATH: " + err.Error()}, nil
	}
	args, env, err := runCommand(req, h.engine(), script)
	if err != nil {
		return nil, err
	}
	cmd := h.command(ctx, args, env)
	cmd.Dir = req.GetPwd()
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
