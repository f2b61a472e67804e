// Command supervise runs a set of processes and keeps them running: each one that exits is
// started again after a backoff that doubles from 1 s up to 30 s and resets once a run has
// lasted 30 s, as the kubelet restarts a static pod. Every exit and restart is counted in a
// JSON state file and logged. SIGTERM or SIGINT stops the processes in reverse order (SIGTERM,
// then SIGKILL after a grace period) and ends the supervisor. Processes are started with a
// parent-death signal, so that none outlives a supervisor that was killed.
//
// Usage: supervise SPEC.json
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime"
	"syscall"
)

func init() {
	// The parent-death signal is sent when the thread that started a process ends: every
	// process is started from the main goroutine, locked to the main thread, which never ends.
	runtime.LockOSThread()
}

func main() {
	log.SetFlags(log.LstdFlags | log.LUTC)
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: supervise SPEC.json")
		os.Exit(2)
	}
	spec, err := loadSpec(os.Args[1])
	if err != nil {
		log.Fatalf("supervise: %v", err)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	s := newSupervisor(spec)
	if err := s.run(stop); err != nil {
		log.Fatalf("supervise: %v", err)
	}
}

func loadSpec(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var spec Spec
	if err := json.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &spec, spec.validate()
}
