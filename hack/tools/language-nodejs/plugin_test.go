package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
)

// fakePackEnv makes the test binary, started by the host as a "policy pack", serve an analyzer
// that reports what it was started with (TestFakePolicyPack).
const fakePackEnv = "LANGUAGE_NODEJS_FAKE_POLICY_PACK"

type fakePack struct {
	pulumirpc.UnimplementedAnalyzerServer
	tags map[string]string
}

func (f *fakePack) ConfigureStack(
	_ context.Context, req *pulumirpc.AnalyzerStackConfigureRequest,
) (*pulumirpc.AnalyzerStackConfigureResponse, error) {
	f.tags = req.GetTags()
	return &pulumirpc.AnalyzerStackConfigureResponse{}, nil
}

// GetAnalyzerInfo tells the pack's pid, stack, config, working directory and arguments.
func (f *fakePack) GetAnalyzerInfo(context.Context, *emptypb.Empty) (*pulumirpc.AnalyzerInfo, error) {
	wd, _ := os.Getwd()
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	return &pulumirpc.AnalyzerInfo{
		Name:        os.Getenv("PULUMI_NODEJS_STACK"),
		DisplayName: strconv.Itoa(os.Getpid()),
		Description: os.Getenv("PULUMI_CONFIG"),
		Version:     wd + "|" + strings.Join(args, " ") + "|" + fmt.Sprint(f.tags),
	}, nil
}

func TestFakePolicyPack(t *testing.T) {
	if os.Getenv(fakePackEnv) == "" {
		t.Skip("run by TestRunPluginStartsThePolicyPackWithTheStack")
	}
	fmt.Println("pack noise before the port is not expected") // the pack's first line must be its port
	os.Exit(0)
}

func TestMain(m *testing.M) {
	if os.Getenv(fakePackEnv) == "serve" {
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			os.Exit(2)
		}
		srv := grpc.NewServer()
		pulumirpc.RegisterAnalyzerServer(srv, &fakePack{})
		fmt.Println(lis.Addr().(*net.TCPAddr).Port)
		fmt.Println("after the port: forwarded to the engine")
		_ = srv.Serve(lis)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveHost runs the host's LanguageRuntime on a loopback port; the pack is this test binary.
func serveHost(t *testing.T, mode string) pulumirpc.LanguageRuntimeClient {
	t.Helper()
	h := newHost("", "3.276.0")
	h.command = func(ctx context.Context, args, env []string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"-test.run=^TestFakePolicyPack$", "--"}, args...)...)
		cmd.Env = append(env, fakePackEnv+"="+mode)
		return cmd
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	pulumirpc.RegisterLanguageRuntimeServer(srv, h)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return pulumirpc.NewLanguageRuntimeClient(conn)
}

// fakePolicyPackFolder lays out a pack whose node_modules holds cmd/run-policy-pack.
func fakePolicyPackFolder(t *testing.T) string {
	t.Helper()
	dir := fakeProgram(t)
	script := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack", "index.js")
	if err := os.MkdirAll(filepath.Dir(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, []byte("// entry point\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// stdoutLines collects the plugin's stdout, line by line, until the stream ends.
func stdoutLines(stream pulumirpc.LanguageRuntime_RunPluginClient) (<-chan string, <-chan error) {
	lines := make(chan string, 16)
	done := make(chan error, 1)
	pr, pw := net.Pipe()
	go func() {
		scanner := bufio.NewScanner(pr)
		for scanner.Scan() {
			lines <- scanner.Text()
		}
		close(lines)
	}()
	go func() {
		defer pw.Close()
		for {
			msg, err := stream.Recv()
			if err != nil {
				done <- err
				return
			}
			if out := msg.GetStdout(); out != nil {
				_, _ = pw.Write(out)
			}
		}
	}()
	return lines, done
}

func TestRunPluginStartsThePolicyPackWithTheStack(t *testing.T) {
	client := serveHost(t, "serve")
	dir := fakePolicyPackFolder(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := client.RunPlugin(ctx, &pulumirpc.RunPluginRequest{
		Pwd: t.TempDir(), Args: []string{"127.0.0.1:9"}, Env: []string{"PATH=" + os.Getenv("PATH")},
		Kind: "analyzer", Info: &pulumirpc.ProgramInfo{ProgramDirectory: dir, RootDirectory: dir, EntryPoint: "."},
	})
	if err != nil {
		t.Fatal(err)
	}
	lines, done := stdoutLines(stream)
	port := <-lines
	conn, err := grpc.NewClient("127.0.0.1:"+port, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatalf("first stdout line %q: %v", port, err)
	}
	defer conn.Close()
	analyzer := pulumirpc.NewAnalyzerClient(conn)
	if _, err := analyzer.Handshake(ctx, &pulumirpc.AnalyzerHandshakeRequest{EngineAddress: "127.0.0.1:9"}); err != nil {
		t.Fatal(err)
	}
	if _, err := analyzer.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{
		Stack: "ci-1", Project: "k8s-ci-envs", DryRun: true,
		Config: map[string]string{"k8s-ci-envs:ttlHours": "4"}, Tags: map[string]string{"team": "ci"},
	}); err != nil {
		t.Fatal(err)
	}
	info, err := analyzer.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	if info.GetName() != "ci-1" || info.GetDescription() != `{"k8s-ci-envs:ttlHours":"4"}` {
		t.Errorf("pack saw stack %q config %q", info.GetName(), info.GetDescription())
	}
	parts := strings.Split(info.GetVersion(), "|")
	script := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack")
	wantArgs := script + " 127.0.0.1:9 " + dir
	if parts[0] != dir || parts[1] != wantArgs || parts[2] != "map[team:ci]" {
		t.Errorf("pack ran in %q with %q and tags %q; want %q, %q, map[team:ci]", parts[0], parts[1], parts[2], dir, wantArgs)
	}
	if after := <-lines; after != "after the port: forwarded to the engine" {
		t.Errorf("pack output after its port = %q", after)
	}

	// The engine ends a plugin by cancelling its RunPlugin call: the pack must go with it.
	pid, _ := strconv.Atoi(info.GetDisplayName())
	cancel()
	<-done
	deadline := time.Now().Add(10 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("pack %d still runs after the engine ended the plugin", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRunPluginReportsAPackThatPrintsNoPort(t *testing.T) {
	client := serveHost(t, "noise")
	stream, err := client.RunPlugin(context.Background(), &pulumirpc.RunPluginRequest{
		Kind: "analyzer", Info: &pulumirpc.ProgramInfo{ProgramDirectory: fakePolicyPackFolder(t)},
	})
	if err != nil {
		t.Fatal(err)
	}
	lines, done := stdoutLines(stream)
	conn, err := grpc.NewClient("127.0.0.1:"+<-lines, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, err = pulumirpc.NewAnalyzerClient(conn).GetAnalyzerInfo(context.Background(), &emptypb.Empty{})
	if err == nil || !strings.Contains(err.Error(), "where its port was expected") {
		t.Fatalf("GetAnalyzerInfo err = %v, want the pack's missing port named", err)
	}
	if err := <-done; err == nil || !strings.Contains(err.Error(), "where its port was expected") {
		t.Fatalf("RunPlugin ended with %v", err)
	}
}

func TestPluginCommandOrdersArgumentsByKind(t *testing.T) {
	info := &pulumirpc.ProgramInfo{ProgramDirectory: "/pack"}
	args, env := pluginCommand(&pulumirpc.RunPluginRequest{
		Kind: "analyzer", Args: []string{"engine:1"}, Env: []string{"A=1"}, Info: info, Pwd: "/prog",
	}, "/sdk/cmd/run-policy-pack")
	if !reflect.DeepEqual(args, []string{"/sdk/cmd/run-policy-pack", "engine:1", "/pack"}) {
		t.Errorf("policy pack args = %q", args)
	}
	if !reflect.DeepEqual(env, []string{"A=1", "PULUMI_NODEJS_TYPESCRIPT=true"}) {
		t.Errorf("policy pack env = %q", env)
	}
	args, _ = pluginCommand(&pulumirpc.RunPluginRequest{
		Kind: "resource", Args: []string{"engine:1"}, Info: info,
	}, "/sdk/cmd/run-plugin")
	if !reflect.DeepEqual(args, []string{"/sdk/cmd/run-plugin", "/pack", "engine:1"}) {
		t.Errorf("plugin args = %q", args)
	}
	analyzer := &pulumirpc.RunPluginRequest{Kind: "analyzer", Info: info, Pwd: "/prog"}
	resource := &pulumirpc.RunPluginRequest{Kind: "resource", Info: info, Pwd: "/prog"}
	if pluginWorkingDirectory(analyzer) != "/pack" || pluginWorkingDirectory(resource) != "/prog" {
		t.Errorf("working directories %q, %q", pluginWorkingDirectory(analyzer), pluginWorkingDirectory(resource))
	}
}
