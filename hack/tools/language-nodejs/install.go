package main

import (
	"io"
	"os/exec"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// streamWriter forwards a child's output to the engine as it arrives.
type streamWriter struct {
	send   func(*pulumirpc.InstallDependenciesResponse) error
	stderr bool
}

func (w streamWriter) Write(p []byte) (int, error) {
	chunk := append([]byte(nil), p...)
	resp := &pulumirpc.InstallDependenciesResponse{Stdout: chunk}
	if w.stderr {
		resp = &pulumirpc.InstallDependenciesResponse{Stderr: chunk}
	}
	if err := w.send(resp); err != nil {
		return 0, err
	}
	return len(p), nil
}

// InstallDependencies runs `npm ci` (for `pulumi install`), exactly reproducing the lockfile.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := programDirectory(req.GetInfo(), req.GetDirectory())
	cmd := exec.CommandContext(stream.Context(), "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
	cmd.Dir = dir
	var stdout, stderr io.Writer = streamWriter{send: stream.Send}, streamWriter{send: stream.Send, stderr: true}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd.Run()
}
