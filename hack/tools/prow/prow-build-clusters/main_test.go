package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"
)

// fakeWorker writes a worker that dies of the race `races` times, then prints "[]" and exits with
// `code`; it counts its runs in a file beside it.
func fakeWorker(t *testing.T, races, code int) (string, string) {
	dir := t.TempDir()
	count := filepath.Join(dir, "runs")
	script := filepath.Join(dir, "worker")
	body := fmt.Sprintf(`#!/bin/sh
[ "$%s" = 1 ] || exit 9
echo x >>%q
if [ "$(wc -l <%q)" -le %d ]; then
  echo "fatal error: concurrent map writes" >&2
  exit 2
fi
echo '[]'
exit %d
`, workerEnv, count, count, races, code)
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return script, count
}

func runs(t *testing.T, count string) int {
	data, err := os.ReadFile(count)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "\n")
}

func TestSuperviseRunsAgainAfterTheRace(t *testing.T) {
	worker, count := fakeWorker(t, 2, 1)
	var stdout, stderr bytes.Buffer
	if code := supervise(worker, nil, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want the last run's 1; stderr: %s", code, stderr.String())
	}
	if n := runs(t, count); n != 3 {
		t.Errorf("%d runs, want 3", n)
	}
	if stdout.String() != "[]\n" {
		t.Errorf("stdout %q, want the last run's", stdout.String())
	}
	if !strings.Contains(stderr.String(), "running it again (attempt 3 of 3)") {
		t.Errorf("stderr does not say it ran again: %s", stderr.String())
	}
}

func TestSuperviseGivesUpAfterThreeRuns(t *testing.T) {
	worker, count := fakeWorker(t, 5, 0)
	var stdout, stderr bytes.Buffer
	if code := supervise(worker, nil, &stdout, &stderr); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if n := runs(t, count); n != attempts {
		t.Errorf("%d runs, want %d", n, attempts)
	}
	if !strings.Contains(stderr.String(), raceMarker) {
		t.Errorf("the last run's error is not passed on: %s", stderr.String())
	}
}

func TestReasonForPicksTheClustersOwnError(t *testing.T) {
	err := utilerrors.NewAggregate([]error{
		errors.New("failed to construct cluster prow-default: boom"),
		errors.New("failed pod resource authorization check for cluster default: missing permissions: unable to \"create\" pods"),
	})
	if got := reasonFor("default", err); !strings.Contains(got, "cluster default: missing permissions") {
		t.Errorf("reasonFor(default) = %q", got)
	}
	if got := reasonFor("prow-default", err); got != "failed to construct cluster prow-default: boom" {
		t.Errorf("reasonFor(prow-default) = %q", got)
	}
}
