// Command prow-build-clusters loads a kubeconfig as prow-controller-manager does and reports, as
// JSON on stdout, whether Prow can use each of its build clusters: reachable, and allowed every
// pod verb plank needs in Prow's pod_namespace. It runs Prow's own code for this
// (flagutil.KubernetesOptions, then BuildClusters with plank's required verbs).
//
//	prow-build-clusters --kubeconfig PATH --pod-namespace NS [--status-file PATH] [--timeout 1m]
//
// It prints one entry per cluster Prow checks: each context of the kubeconfig, and `default`,
// Prow's alias for the current context. Exit status: 0 when every cluster is usable, 1 when one
// is not (the JSON says why), 2 when Prow cannot load the kubeconfig at all or the flags are wrong.
//
// Prow's BuildClusters sometimes dies of a `concurrent map writes` race in its libraries (about 1
// run in 75); a Go runtime fatal error cannot be recovered, so this command runs the check in a
// child process of itself and runs it again, a bounded number of times, when that happens, as the
// kubelet restarts prow-controller-manager.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

const (
	// workerEnv marks the child process that runs the check.
	workerEnv = "PROW_BUILD_CLUSTERS_WORKER"
	// attempts bounds the runs of the check when it hits the race.
	attempts = 3
	// raceMarker starts the Go runtime's report of the race (concurrent map writes, or a read
	// during a write).
	raceMarker = "fatal error: concurrent map"
)

func main() {
	if os.Getenv(workerEnv) != "" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "prow-build-clusters: %v\n", err)
		os.Exit(2)
	}
	os.Exit(supervise(self, os.Args[1:], os.Stdout, os.Stderr))
}

// supervise runs the check (`self` as the worker) in a child process, again when it died of the
// known race, and passes on the last run's output and exit status.
func supervise(self string, args []string, stdout, stderr io.Writer) int {
	for attempt := 1; ; attempt++ {
		var out, errOut bytes.Buffer
		cmd := exec.Command(self, args...)
		cmd.Env = append(os.Environ(), workerEnv+"=1")
		cmd.Stdout, cmd.Stderr = &out, &errOut
		code := 0
		if err := cmd.Run(); err != nil {
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				fmt.Fprintf(stderr, "prow-build-clusters: %v\n", err)
				return 2
			}
			code = exit.ExitCode()
		}
		if code != 0 && strings.Contains(errOut.String(), raceMarker) && attempt < attempts {
			fmt.Fprintf(stderr, "prow-build-clusters: Prow's BuildClusters hit its known concurrent map race; running it again (attempt %d of %d)\n", attempt+1, attempts)
			continue
		}
		_, _ = stdout.Write(out.Bytes())
		_, _ = stderr.Write(errOut.Bytes())
		return code
	}
}
