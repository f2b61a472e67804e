package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"sigs.k8s.io/prow/pkg/flagutil"
	"sigs.k8s.io/prow/pkg/kube"
	"sigs.k8s.io/prow/pkg/plank"
)

// clusterResult is what the command reports for one cluster Prow checked.
type clusterResult struct {
	Context string `json:"context"`
	OK      bool   `json:"ok"`
	// Status is what plank records for the cluster in its build cluster status file.
	Status plank.ClusterStatus `json:"status"`
	Reason string              `json:"reason,omitempty"`
}

type options struct {
	kubernetes   flagutil.KubernetesOptions
	podNamespace string
	statusFile   string
	timeout      time.Duration
	verbose      bool
}

func (o *options) parse(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("prow-build-clusters", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o.kubernetes.AddFlags(fs)
	fs.StringVar(&o.podNamespace, "pod-namespace", "default", "Prow's pod_namespace, where plank creates job pods on every build cluster (Prow's default: default)")
	fs.StringVar(&o.statusFile, "status-file", "", "Also write the build cluster status file plank writes (its plank.build_cluster_status_file), which checkconfig reads")
	fs.DurationVar(&o.timeout, "timeout", time.Minute, "Give up on clusters that have not answered by then")
	fs.BoolVar(&o.verbose, "verbose", false, "Show Prow's own log")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	// Without them Prow reads $KUBECONFIG or ~/.kube/config: never what a test means.
	if fs.Lookup("kubeconfig").Value.String() == "" && fs.Lookup("kubeconfig-dir").Value.String() == "" {
		return errors.New("--kubeconfig (or --kubeconfig-dir) is required")
	}
	return o.kubernetes.Validate(false)
}

// run checks the build clusters as prow-controller-manager does when it starts.
func run(args []string, stdout, stderr io.Writer) int {
	var o options
	if err := o.parse(args, stderr); err != nil {
		fmt.Fprintf(stderr, "prow-build-clusters: %v\n", err)
		return 2
	}
	logrus.SetOutput(stderr)
	logrus.SetLevel(logrus.ErrorLevel)
	if o.verbose {
		logrus.SetLevel(logrus.InfoLevel)
	}
	// As outside a cluster, wherever this runs (a CI pod too): Prow's `default` is then the
	// kubeconfig's current context, not the pod's own cluster.
	for _, v := range []string{"KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT"} {
		_ = os.Unsetenv(v)
	}

	configs, err := o.kubernetes.KnownClusters(false)
	if err != nil {
		fmt.Fprintf(stderr, "prow-build-clusters: Prow cannot load the kubeconfig: %v\n", err)
		return 2
	}
	known := make([]string, 0, len(configs))
	for name := range configs {
		known = append(known, name)
	}
	sort.Strings(known)
	usable, err := buildClusters(&o)
	results := report(known, usable, err)
	if o.statusFile != "" {
		if err := writeStatusFile(o.statusFile, known, usable); err != nil {
			fmt.Fprintf(stderr, "prow-build-clusters: %v\n", err)
			return 2
		}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(results); err != nil {
		fmt.Fprintf(stderr, "prow-build-clusters: %v\n", err)
		return 2
	}
	for _, r := range results {
		if !r.OK {
			return 1
		}
	}
	return 0
}

// buildClusters calls Prow's BuildClusters, bounded by the timeout: it returns the clusters that
// were constructed and passed the pod verb checks, and an error naming each other one.
func buildClusters(o *options) (map[string]bool, error) {
	type outcome struct {
		usable map[string]bool
		err    error
	}
	done := make(chan outcome, 1)
	go func() {
		// The callback fires when a failed cluster comes back later; this command has exited by then.
		clusters, err := o.kubernetes.BuildClusters(false, plank.RequiredTestPodVerbs(), func() {}, o.podNamespace)
		usable := map[string]bool{}
		for name := range clusters {
			usable[name] = true
		}
		done <- outcome{usable, err}
	}()
	select {
	case r := <-done:
		return r.usable, r.err
	case <-time.After(o.timeout):
		return map[string]bool{}, fmt.Errorf("Prow's BuildClusters did not return within %s", o.timeout)
	}
}

// report gives every cluster Prow checked, by name, except the in-cluster alias "", which outside
// a cluster is the current context, reported as `default`.
func report(known []string, usable map[string]bool, err error) []clusterResult {
	results := make([]clusterResult, 0, len(known))
	for _, name := range known {
		if name == kube.InClusterContext {
			continue
		}
		r := clusterResult{Context: name, OK: usable[name], Status: clusterStatus(usable[name])}
		if !r.OK {
			r.Reason = reasonFor(name, err)
		}
		results = append(results, r)
	}
	return results
}

// reasonFor picks BuildClusters' error about cluster `name`; each of its errors says
// "... cluster <name>: <why>".
func reasonFor(name string, err error) string {
	if err == nil {
		return "Prow's BuildClusters left it out without an error"
	}
	var errs []error
	var agg utilerrors.Aggregate
	if errors.As(err, &agg) {
		errs = agg.Errors()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		if strings.Contains(e.Error(), "cluster "+name+": ") {
			return e.Error()
		}
	}
	return err.Error()
}

// writeStatusFile writes what plank writes to its build cluster status file: the status of every
// cluster Prow knows, the in-cluster alias "" too.
func writeStatusFile(path string, known []string, usable map[string]bool) error {
	statuses := map[string]plank.ClusterStatus{}
	for _, name := range known {
		statuses[name] = clusterStatus(usable[name])
	}
	data, err := json.Marshal(statuses)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// clusterStatus is plank's status of a cluster: it has no manager for one that BuildClusters left
// out, whatever the reason.
func clusterStatus(usable bool) plank.ClusterStatus {
	if usable {
		return plank.ClusterStatusReachable
	}
	return plank.ClusterStatusNoManager
}
