package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// Status is a process's entry in the state file.
type Status struct {
	Name string `json:"name"`
	// State is "running", "waiting" (exited, restarting after a backoff) or "stopped".
	State     string `json:"state"`
	Pid       int    `json:"pid,omitempty"`
	StartedAt string `json:"startedAt,omitempty"`
	Restarts  int    `json:"restarts"`
	LastExit  string `json:"lastExit,omitempty"`
	ExitedAt  string `json:"exitedAt,omitempty"`
	// NextStart is when a waiting process starts again.
	NextStart string `json:"nextStart,omitempty"`
	// StartError is why the last start failed, if it did.
	StartError string `json:"startError,omitempty"`
}

// State is the state file: the supervisor's own pid and each process's status.
type State struct {
	Pid        int      `json:"pid"`
	Stopping   bool     `json:"stopping,omitempty"`
	Components []Status `json:"components"`
}

type exited struct {
	index int
	cmd   *exec.Cmd
	err   error
}

type supervisor struct {
	spec       *Spec
	status     []Status
	cmds       []*exec.Cmd
	started    []time.Time
	quickExits []int
	exits      chan exited
	restarts   chan int
}

func newSupervisor(spec *Spec) *supervisor {
	n := len(spec.Components)
	s := &supervisor{
		spec:       spec,
		status:     make([]Status, n),
		cmds:       make([]*exec.Cmd, n),
		started:    make([]time.Time, n),
		quickExits: make([]int, n),
		exits:      make(chan exited, n),
		restarts:   make(chan int, n),
	}
	for i, c := range spec.Components {
		s.status[i] = Status{Name: c.Name, State: "waiting"}
	}
	return s
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// run starts every process in order, then keeps them running until a signal arrives on stop.
func (s *supervisor) run(stop <-chan os.Signal) error {
	for i := range s.spec.Components {
		s.start(i)
	}
	s.save(false)
	for {
		select {
		case sig := <-stop:
			log.Printf("%s: stopping every process", sig)
			s.stopAll()
			return nil
		case e := <-s.exits:
			if e.cmd == s.cmds[e.index] {
				s.onExit(e)
			}
		case i := <-s.restarts:
			if s.cmds[i] == nil {
				s.start(i)
				s.save(false)
			}
		}
	}
}

func (s *supervisor) start(i int) {
	c := s.spec.Components[i]
	st := &s.status[i]
	logFile, err := os.OpenFile(c.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err == nil {
		cmd := exec.Command(c.Binary, c.Args...)
		cmd.Dir = c.Dir
		cmd.Env = append(os.Environ(), c.Env...)
		cmd.Stdout, cmd.Stderr = logFile, logFile
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
		err = cmd.Start()
		logFile.Close()
		if err == nil {
			now := time.Now()
			s.cmds[i], s.started[i] = cmd, now
			*st = Status{Name: c.Name, State: "running", Pid: cmd.Process.Pid, StartedAt: stamp(now),
				Restarts: st.Restarts, LastExit: st.LastExit, ExitedAt: st.ExitedAt}
			log.Printf("%s: started, pid %d", c.Name, cmd.Process.Pid)
			go func() { s.exits <- exited{i, cmd, cmd.Wait()} }()
			return
		}
	}
	st.StartError = err.Error()
	log.Printf("%s: could not start: %v", c.Name, err)
	s.onExit(exited{index: i, err: err})
}

// onExit records an exit and schedules the next start after the backoff.
func (s *supervisor) onExit(e exited) {
	now := time.Now()
	st := &s.status[e.index]
	ran := now.Sub(s.started[e.index])
	if e.cmd == nil || ran < s.spec.steadyRun() {
		s.quickExits[e.index]++
	} else {
		s.quickExits[e.index] = 1
	}
	delay := s.spec.backoff(s.quickExits[e.index])
	s.cmds[e.index] = nil
	st.State, st.Pid, st.Restarts = "waiting", 0, st.Restarts+1
	st.LastExit, st.ExitedAt, st.NextStart = describe(e.err), stamp(now), stamp(now.Add(delay))
	log.Printf("%s: %s after %s; restart %d in %s", st.Name, st.LastExit, ran.Round(time.Millisecond), st.Restarts, delay)
	time.AfterFunc(delay, func() { s.restarts <- e.index })
	s.save(false)
}

func describe(err error) string {
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return "killed by " + ws.Signal().String()
		}
		return fmt.Sprintf("exited with code %d", exitErr.ExitCode())
	}
	if err == nil {
		return "exited with code 0"
	}
	return err.Error()
}

// stopAll stops the processes in reverse start order: SIGCONT and SIGTERM to each process
// group (a stopped process could not act on SIGTERM), SIGKILL after the grace period.
func (s *supervisor) stopAll() {
	s.save(true)
	ended := map[*exec.Cmd]bool{}
	for i := len(s.cmds) - 1; i >= 0; i-- {
		cmd := s.cmds[i]
		if cmd == nil {
			continue
		}
		pgid := -cmd.Process.Pid
		_ = syscall.Kill(pgid, syscall.SIGCONT)
		_ = syscall.Kill(pgid, syscall.SIGTERM)
		deadline := time.After(s.spec.grace())
		for !ended[cmd] {
			select {
			case e := <-s.exits:
				ended[e.cmd] = true
			case <-deadline:
				log.Printf("%s: still running after %s: SIGKILL", s.status[i].Name, s.spec.grace())
				_ = syscall.Kill(pgid, syscall.SIGKILL)
				deadline = nil
			}
		}
		s.cmds[i] = nil
		s.status[i].State, s.status[i].Pid = "stopped", 0
		log.Printf("%s: stopped", s.status[i].Name)
	}
	s.save(true)
}

// save writes the state file atomically (aside, then renamed into place).
func (s *supervisor) save(stopping bool) {
	data, err := json.MarshalIndent(State{Pid: os.Getpid(), Stopping: stopping, Components: s.status}, "", "  ")
	if err == nil {
		tmp := filepath.Join(filepath.Dir(s.spec.State), "."+filepath.Base(s.spec.State)+".tmp")
		if err = os.WriteFile(tmp, append(data, '\n'), 0o600); err == nil {
			err = os.Rename(tmp, s.spec.State)
		}
	}
	if err != nil {
		log.Printf("state %s: %v", s.spec.State, err)
	}
}
