package main

import (
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// analyzerKind is the RunPluginRequest kind of a policy pack (apitype.AnalyzerPlugin).
const analyzerKind = "analyzer"

// pluginStream sends a plugin's output to the engine. gRPC streams take one sender at a time,
// and the child's stdout and stderr are copied from two goroutines.
type pluginStream struct {
	mu   sync.Mutex
	send func(*pulumirpc.RunPluginResponse) error
}

func (s *pluginStream) emit(resp *pulumirpc.RunPluginResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.send(resp)
}

type streamOut struct {
	s      *pluginStream
	stderr bool
}

func (w streamOut) Write(p []byte) (int, error) {
	chunk := append([]byte(nil), p...)
	resp := &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: chunk}}
	if w.stderr {
		resp = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: chunk}}
	}
	if err := w.s.emit(resp); err != nil {
		return 0, err
	}
	return len(p), nil
}

// pluginCommand builds the node command line of a plugin program, as the SDK's entry points
// take it: a policy pack (`cmd/run-policy-pack`) wants the engine's arguments first and the pack's
// directory last; other plugins (`cmd/run-plugin`) the directory first.
func pluginCommand(req *pulumirpc.RunPluginRequest, script string) ([]string, []string) {
	opts := parseRuntimeOptions(req.GetInfo())
	dir := programDirectory(req.GetInfo(), req.GetProgram())
	args := append([]string{}, opts.nodeArgs...)
	args = append(args, script)
	if req.GetKind() == analyzerKind {
		args = append(args, req.GetArgs()...)
		args = append(args, dir)
	} else {
		args = append(args, dir)
		args = append(args, req.GetArgs()...)
	}
	env := append([]string{}, req.GetEnv()...)
	env = append(env, "PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript))
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return args, env
}

// pluginWorkingDirectory: policy packs have always run in their own folder (the old
// pulumi-analyzer-policy shim did so), other plugins in the engine's working directory.
func pluginWorkingDirectory(req *pulumirpc.RunPluginRequest) string {
	if req.GetKind() == analyzerKind {
		return programDirectory(req.GetInfo(), req.GetProgram())
	}
	return req.GetPwd()
}

// RunPlugin runs a plugin written in TypeScript or JavaScript: a policy pack (kind "analyzer")
// through @pulumi/pulumi's cmd/run-policy-pack, anything else through cmd/run-plugin. The stream
// carries the plugin's output and ends when it exits; the engine reads the plugin's port from the
// first line of stdout.
func (h *host) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	ctx := server.Context()
	entry := "run-plugin"
	if req.GetKind() == analyzerKind {
		entry = "run-policy-pack"
	}
	script, err := sdkScript(programDirectory(req.GetInfo(), req.GetProgram()), entry)
	if err != nil {
		return err
	}
	args, env := pluginCommand(req, script)
	stream := &pluginStream{send: server.Send}
	stdout, stderr := streamOut{s: stream}, streamOut{s: stream, stderr: true}
	start := func(extraEnv []string, out io.Writer) (*exec.Cmd, error) {
		cmd := h.command(ctx, args, append(append([]string{}, env...), extraEnv...))
		cmd.Dir = pluginWorkingDirectory(req)
		cmd.Stdout, cmd.Stderr = out, stderr
		return cmd, cmd.Start()
	}

	if req.GetKind() == analyzerKind {
		err = servePolicyPack(ctx, stdout, start)
	} else {
		var cmd *exec.Cmd
		if cmd, err = start(nil, stdout); err == nil {
			err = cmd.Wait()
		}
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return nil // the engine is done with the plugin and closed the stream
	case errors.As(err, &exit):
		return fmt.Errorf("Program exited with non-zero exit code: %d", exit.ExitCode()) //nolint:staticcheck // the engine's wording
	default:
		return fmt.Errorf("could not run the plugin: %w", err)
	}
}
