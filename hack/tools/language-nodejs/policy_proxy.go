package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
)

// packStartTimeout bounds how long a policy pack may take to print its port (ts-node compiles it).
const packStartTimeout = 2 * time.Minute

// startPack starts the policy pack's node process with extra environment, its stdout to out.
type startPack func(extraEnv []string, out io.Writer) (*exec.Cmd, error)

// policyProxy stands between the engine and a policy pack. @pulumi/pulumi's run-policy-pack reads
// the stack (project, stack, config) from its environment, but the engine only sends them in
// the analyzer's ConfigureStack call, after the plugin has started. So the proxy answers the
// engine first, and starts the pack once it knows the stack, with that stack in its environment;
// every later call goes to the pack.
type policyProxy struct {
	pulumirpc.UnimplementedAnalyzerServer

	ctx   context.Context
	start startPack
	out   io.Writer

	once    sync.Once
	ready   chan struct{}
	client  pulumirpc.AnalyzerClient
	conn    *grpc.ClientConn
	initErr error
	// exited is closed once the pack's process has been waited for, with waitErr.
	exited  chan struct{}
	waitErr error
}

// stackEnv is the environment @pulumi/pulumi's runtime reads the stack from (runtime/settings).
func stackEnv(req *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if req == nil {
		return nil, nil
	}
	env, err := configEnv(req.GetConfig(), req.GetConfigSecretKeys())
	if err != nil {
		return nil, err
	}
	for k, v := range map[string]string{
		"PULUMI_NODEJS_ORGANIZATION": req.GetOrganization(),
		"PULUMI_NODEJS_PROJECT":      req.GetProject(),
		"PULUMI_NODEJS_STACK":        req.GetStack(),
	} {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	return append(env, "PULUMI_NODEJS_DRY_RUN="+strconv.FormatBool(req.GetDryRun())), nil
}

// launch starts the pack once (with the stack if the engine sent it) and connects to it.
func (p *policyProxy) launch(stack *pulumirpc.AnalyzerStackConfigureRequest) error {
	p.once.Do(func() {
		defer close(p.ready)
		p.initErr = p.startAndDial(stack)
	})
	<-p.ready
	return p.initErr
}

func (p *policyProxy) startAndDial(stack *pulumirpc.AnalyzerStackConfigureRequest) error {
	env, err := stackEnv(stack)
	if err != nil {
		return err
	}
	pr, pw := io.Pipe()
	cmd, err := p.start(env, pw)
	if err != nil {
		return fmt.Errorf("could not start the policy pack: %w", err)
	}
	exited := make(chan struct{})
	p.exited = exited
	go func() {
		p.waitErr = cmd.Wait()
		_ = pw.Close()
		close(exited)
	}()
	if err := p.dial(cmd, pr, exited); err != nil {
		_ = cmd.Process.Kill()
		return err
	}
	return nil
}

// dial reads the pack's port from the first line of its stdout and connects to it.
func (p *policyProxy) dial(cmd *exec.Cmd, pr io.Reader, exited <-chan struct{}) error {
	port := make(chan string, 1)
	go func() {
		lines := bufio.NewReader(pr)
		first, err := lines.ReadString('\n')
		if err == nil {
			port <- strings.TrimSpace(first)
		}
		close(port)
		_, _ = io.Copy(p.out, lines) // the pack's own output after its port
	}()
	var addr string
	select {
	case got, ok := <-port:
		if !ok {
			<-exited
			return fmt.Errorf("the policy pack exited before it printed its port (%s)", cmd.ProcessState)
		}
		if _, err := strconv.Atoi(got); err != nil {
			return fmt.Errorf("the policy pack printed %q where its port was expected", got)
		}
		addr = net.JoinHostPort("127.0.0.1", got)
	case <-time.After(packStartTimeout):
		return fmt.Errorf("the policy pack printed no port within %s", packStartTimeout)
	case <-p.ctx.Done():
		return p.ctx.Err()
	}
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(400*1024*1024)))
	if err != nil {
		return err
	}
	p.conn = conn
	p.client = pulumirpc.NewAnalyzerClient(conn)
	return nil
}

func (p *policyProxy) pack() (pulumirpc.AnalyzerClient, error) {
	if err := p.launch(nil); err != nil {
		return nil, err
	}
	return p.client, nil
}

// Handshake is answered here: the pack has not started yet, and @pulumi/policy implements none.
func (p *policyProxy) Handshake(
	context.Context, *pulumirpc.AnalyzerHandshakeRequest,
) (*pulumirpc.AnalyzerHandshakeResponse, error) {
	return &pulumirpc.AnalyzerHandshakeResponse{}, nil
}

func (p *policyProxy) ConfigureStack(
	ctx context.Context, req *pulumirpc.AnalyzerStackConfigureRequest,
) (*pulumirpc.AnalyzerStackConfigureResponse, error) {
	if err := p.launch(req); err != nil {
		return nil, err
	}
	return p.client.ConfigureStack(ctx, req) // the pack keeps the stack's tags
}

func (p *policyProxy) Analyze(ctx context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.AnalyzeResponse, error) {
	c, err := p.pack()
	if err != nil {
		return nil, err
	}
	return c.Analyze(ctx, req)
}

func (p *policyProxy) AnalyzeStack(
	ctx context.Context, req *pulumirpc.AnalyzeStackRequest,
) (*pulumirpc.AnalyzeResponse, error) {
	c, err := p.pack()
	if err != nil {
		return nil, err
	}
	return c.AnalyzeStack(ctx, req)
}

func (p *policyProxy) Remediate(
	ctx context.Context, req *pulumirpc.AnalyzeRequest,
) (*pulumirpc.RemediateResponse, error) {
	c, err := p.pack()
	if err != nil {
		return nil, err
	}
	return c.Remediate(ctx, req)
}

func (p *policyProxy) GetAnalyzerInfo(ctx context.Context, req *emptypb.Empty) (*pulumirpc.AnalyzerInfo, error) {
	c, err := p.pack()
	if err != nil {
		return nil, err
	}
	return c.GetAnalyzerInfo(ctx, req)
}

func (p *policyProxy) GetPluginInfo(ctx context.Context, req *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	c, err := p.pack()
	if err != nil {
		return nil, err
	}
	return c.GetPluginInfo(ctx, req)
}

func (p *policyProxy) Configure(
	ctx context.Context, req *pulumirpc.ConfigureAnalyzerRequest,
) (*emptypb.Empty, error) {
	c, err := p.pack()
	if err != nil {
		return nil, err
	}
	return c.Configure(ctx, req)
}

// Cancel before the pack started has nothing to cancel.
func (p *policyProxy) Cancel(ctx context.Context, req *emptypb.Empty) (*emptypb.Empty, error) {
	select {
	case <-p.ready:
		if p.client != nil {
			return p.client.Cancel(ctx, req)
		}
	default:
	}
	return &emptypb.Empty{}, nil
}

// servePolicyPack serves the proxy on a loopback port, tells the engine that port on stdout,
// and returns when the pack exits (or the engine ends the plugin before the pack started).
func servePolicyPack(ctx context.Context, stdout io.Writer, start startPack) error {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	p := &policyProxy{ctx: ctx, start: start, out: stdout, ready: make(chan struct{})}
	srv := grpc.NewServer(grpc.MaxRecvMsgSize(400 * 1024 * 1024))
	pulumirpc.RegisterAnalyzerServer(srv, p)
	go func() { _ = srv.Serve(lis) }()
	defer stopServer(srv)
	if _, err := fmt.Fprintf(stdout, "%d\n", lis.Addr().(*net.TCPAddr).Port); err != nil {
		return err
	}
	select {
	case <-p.ready:
	case <-ctx.Done():
		p.once.Do(func() { close(p.ready) }) // no pack will start now
		return nil
	}
	if p.conn != nil {
		defer p.conn.Close()
	}
	if p.exited == nil {
		return p.initErr
	}
	<-p.exited // the process ends by itself, or is killed with the engine's request
	if p.initErr != nil {
		return p.initErr
	}
	return p.waitErr
}

// stopServer lets calls in flight (one telling why the pack failed) finish, for a few seconds.
func stopServer(srv *grpc.Server) {
	stopped := make(chan struct{})
	go func() {
		srv.GracefulStop()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		srv.Stop()
	}
}
