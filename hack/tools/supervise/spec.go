package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"
)

// Spec is what the supervisor runs: its processes, in start order, and where it reports.
type Spec struct {
	// State is the JSON file the supervisor keeps current (written atomically, mode 0600).
	State      string      `json:"state"`
	Components []Component `json:"components"`
	// GraceSeconds is how long a stopped process has between SIGTERM and SIGKILL (default 10).
	GraceSeconds int `json:"graceSeconds,omitempty"`
	// BackoffMillis is the first restart's delay (default 1000); it doubles up to
	// MaxBackoffMillis (default 30000) and starts again once a run has lasted as long.
	BackoffMillis    int `json:"backoffMillis,omitempty"`
	MaxBackoffMillis int `json:"maxBackoffMillis,omitempty"`
}

// Component is one supervised process.
type Component struct {
	Name   string   `json:"name"`
	Binary string   `json:"binary"`
	Args   []string `json:"args"`
	Dir    string   `json:"dir"`
	// Env is added to the supervisor's own environment (KEY=VALUE).
	Env []string `json:"env,omitempty"`
	// Log receives the process's stdout and stderr, appended across restarts.
	Log string `json:"log"`
}

func (s *Spec) grace() time.Duration {
	if s.GraceSeconds <= 0 {
		return 10 * time.Second
	}
	return time.Duration(s.GraceSeconds) * time.Second
}

func millis(value, fallback int) time.Duration {
	if value <= 0 {
		value = fallback
	}
	return time.Duration(value) * time.Millisecond
}

// backoff is the delay before a process's next start, given the exits in a row that each
// came sooner than the longest delay after their start.
func (s *Spec) backoff(quickExits int) time.Duration {
	delay, most := millis(s.BackoffMillis, 1000), millis(s.MaxBackoffMillis, 30000)
	for i := 1; i < quickExits && delay < most; i++ {
		delay *= 2
	}
	return min(delay, most)
}

func (s *Spec) steadyRun() time.Duration { return millis(s.MaxBackoffMillis, 30000) }

func (s *Spec) validate() error {
	var errs []error
	if !filepath.IsAbs(s.State) {
		errs = append(errs, fmt.Errorf("state: %q is not an absolute path", s.State))
	}
	if len(s.Components) == 0 {
		errs = append(errs, errors.New("components: none to supervise"))
	}
	seen := map[string]bool{}
	for i, c := range s.Components {
		where := fmt.Sprintf("components[%d] (%s)", i, c.Name)
		if c.Name == "" || seen[c.Name] {
			errs = append(errs, fmt.Errorf("%s: the name is empty or repeated", where))
		}
		seen[c.Name] = true
		for field, path := range map[string]string{"binary": c.Binary, "dir": c.Dir, "log": c.Log} {
			if !filepath.IsAbs(path) {
				errs = append(errs, fmt.Errorf("%s: %s %q is not an absolute path", where, field, path))
			}
		}
	}
	return errors.Join(errs...)
}
