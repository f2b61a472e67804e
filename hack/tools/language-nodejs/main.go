// Command pulumi-language-nodejs is this project's Node.js language host for the Pulumi engine.
//
// The Go module proxy these machines reach serves no version of Pulumi's own
// github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs module (see hack/tools/README.md),
// so this host implements the LanguageRuntime protocol of the pinned SDK release. It runs programs
// through the entry point that the @pulumi/pulumi npm package ships for language hosts
// (`cmd/run`), resolved from the program's own node_modules, so program semantics stay the SDK's.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// version is stamped at build time with the @pulumi/pulumi release this host is built against.
var version = "0.0.0-dev"

func main() {
	// -logtostderr and -v are registered by the SDK's logging package.
	flag.String("tracing", "", "Zipkin-compatible tracing endpoint (accepted, not used)")
	flag.Parse()
	logging.InitLogging(false, 0, false)

	engineAddress := ""
	if flag.NArg() > 0 {
		engineAddress = flag.Arg(0)
	}
	host := newHost(engineAddress, version)

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: server stopped: %v\n", err)
		os.Exit(1)
	}
}
