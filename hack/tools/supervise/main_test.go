package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "supervise-test-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "supervise")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type running struct {
	t     *testing.T
	dir   string
	cmd   *exec.Cmd
	state string
}

// launch starts the supervisor binary on the given components (shell commands).
func launch(t *testing.T, grace int, commands map[string]string, order ...string) *running {
	t.Helper()
	dir := t.TempDir()
	spec := Spec{State: filepath.Join(dir, "state.json"), GraceSeconds: grace, BackoffMillis: 50, MaxBackoffMillis: 400}
	for _, name := range order {
		spec.Components = append(spec.Components, Component{
			Name: name, Binary: "/bin/sh", Args: []string{"-c", commands[name]}, Dir: dir,
			Log: filepath.Join(dir, name+".log"),
		})
	}
	data, _ := json.Marshal(spec)
	specFile := filepath.Join(dir, "spec.json")
	if err := os.WriteFile(specFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, specFile)
	logFile, _ := os.Create(filepath.Join(dir, "supervisor.log"))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &running{t: t, dir: dir, cmd: cmd, state: spec.State}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
	})
	return r
}

func (r *running) read() State {
	var s State
	data, err := os.ReadFile(r.state)
	if err == nil {
		_ = json.Unmarshal(data, &s)
	}
	return s
}

func (r *running) component(name string) Status {
	for _, c := range r.read().Components {
		if c.Name == name {
			return c
		}
	}
	return Status{}
}

// await polls until cond holds, failing after 10 s with what it last saw.
func (r *running) await(what string, cond func() bool) {
	r.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			data, _ := os.ReadFile(r.state)
			logs, _ := os.ReadFile(filepath.Join(r.dir, "supervisor.log"))
			r.t.Fatalf("timed out waiting for %s; state %s\nlog:\n%s", what, data, logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func alive(pid int) bool { return pid > 0 && syscall.Kill(pid, 0) == nil }

// gone tells whether no process has the pid, or only a zombie does.
func gone(pid int) bool {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	return err != nil || strings.Contains(string(stat), ") Z ")
}

func TestRestartsAProcessThatExitsAndCountsIt(t *testing.T) {
	r := launch(t, 1, map[string]string{"crash": "echo boom; exit 3", "steady": "exec sleep 1000"}, "crash", "steady")
	r.await("three restarts", func() bool { return r.component("crash").Restarts >= 3 })
	crash := r.component("crash")
	if crash.LastExit != "exited with code 3" {
		t.Errorf("lastExit = %q", crash.LastExit)
	}
	if steady := r.component("steady"); steady.State != "running" || steady.Restarts != 0 || !alive(steady.Pid) {
		t.Errorf("steady = %+v", steady)
	}
	logs, _ := os.ReadFile(filepath.Join(r.dir, "crash.log"))
	if strings.Count(string(logs), "boom") < 3 {
		t.Errorf("the process's output is not appended across restarts: %q", logs)
	}
}

func TestRestartsAProcessKilledFromOutside(t *testing.T) {
	r := launch(t, 1, map[string]string{"server": "exec sleep 1000"}, "server")
	r.await("the server", func() bool { return alive(r.component("server").Pid) })
	first := r.component("server").Pid
	if err := syscall.Kill(first, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	r.await("a new server", func() bool {
		c := r.component("server")
		return c.State == "running" && c.Pid != first && alive(c.Pid)
	})
	if c := r.component("server"); c.Restarts != 1 || c.LastExit != "killed by killed" {
		t.Errorf("server = %+v", c)
	}
}

func TestBackoffDoublesUpToTheMost(t *testing.T) {
	s := &Spec{BackoffMillis: 100, MaxBackoffMillis: 1000}
	var got []time.Duration
	for i := 1; i <= 6; i++ {
		got = append(got, s.backoff(i))
	}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i := range want {
		if got[i] != want[i]*time.Millisecond {
			t.Fatalf("backoff = %v", got)
		}
	}
}

func TestSigtermStopsEveryProcessEvenOneThatIgnoresItOrIsStopped(t *testing.T) {
	r := launch(t, 1, map[string]string{
		"stubborn": "trap '' TERM; sleep 1000 & wait; sleep 1000",
		"frozen":   "exec sleep 1000",
		"plain":    "exec sleep 1000",
	}, "stubborn", "frozen", "plain")
	r.await("all three", func() bool {
		s := r.read()
		return len(s.Components) == 3 && alive(s.Components[0].Pid) && alive(s.Components[1].Pid) && alive(s.Components[2].Pid)
	})
	pids := []int{}
	for _, c := range r.read().Components {
		pids = append(pids, c.Pid)
	}
	_ = syscall.Kill(pids[1], syscall.SIGSTOP)
	start := time.Now()
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Wait(); err != nil {
		t.Fatalf("supervisor: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("stopping took %s", took)
	}
	for i, pid := range pids {
		if !gone(pid) {
			t.Errorf("process %d (pid %d) outlived the supervisor", i, pid)
		}
	}
	for _, c := range r.read().Components {
		if c.State != "stopped" {
			t.Errorf("%s: state %s", c.Name, c.State)
		}
	}
}

func TestProcessesDieWithAKilledSupervisor(t *testing.T) {
	r := launch(t, 1, map[string]string{"server": "exec sleep 1000"}, "server")
	r.await("the server", func() bool { return alive(r.component("server").Pid) })
	pid := r.component("server").Pid
	_ = r.cmd.Process.Kill()
	_, _ = r.cmd.Process.Wait()
	r.await("the server to die with it", func() bool { return gone(pid) })
}

func TestSpecValidation(t *testing.T) {
	err := (&Spec{State: "state.json", Components: []Component{{Name: "a", Binary: "sh", Dir: "/", Log: "/l"}, {Name: "a", Binary: "/bin/sh", Dir: "/", Log: "/l"}}}).validate()
	for _, want := range []string{`state: "state.json" is not an absolute path`, `components[0] (a): binary "sh" is not an absolute path`, `components[1] (a): the name is empty or repeated`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("validate() = %v, want %q", err, want)
		}
	}
	if err := (&Spec{State: "/s"}).validate(); err == nil || !strings.Contains(err.Error(), "none to supervise") {
		t.Errorf("validate() = %v", err)
	}
}
