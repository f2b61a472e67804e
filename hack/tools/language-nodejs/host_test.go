package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func writeJSON(t *testing.T, path string, value any) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(value)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fakeProgram lays out a program folder whose node_modules holds two resource plugins
// (one scoped, one naming itself), a plain library, and @pulumi/pulumi's run entry point.
func fakeProgram(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeJSON(t, filepath.Join(dir, "package.json"), map[string]any{
		"name":            "program",
		"dependencies":    map[string]string{"@pulumi/kubernetes": "4.25.0", "left-pad": "^1.0.0"},
		"devDependencies": map[string]string{"jest": "29.7.0"},
	})
	modules := filepath.Join(dir, "node_modules")
	writeJSON(t, filepath.Join(modules, "@pulumi", "kubernetes", "package.json"), map[string]any{
		"name": "@pulumi/kubernetes", "version": "4.25.0",
		"pulumi": map[string]any{"resource": true, "name": "kubernetes", "version": "4.25.0"},
	})
	writeJSON(t, filepath.Join(modules, "@pulumi", "command", "package.json"), map[string]any{
		"name": "@pulumi/command", "version": "1.2.1", "pulumi": map[string]any{"resource": true},
	})
	writeJSON(t, filepath.Join(modules, "left-pad", "package.json"), map[string]any{
		"name": "left-pad", "version": "1.3.0",
	})
	writeJSON(t, filepath.Join(modules, "@pulumi", "pulumi", "package.json"), map[string]any{
		"name": "@pulumi/pulumi", "version": "3.276.0",
	})
	run := filepath.Join(modules, "@pulumi", "pulumi", "cmd", "run", "index.js")
	if err := os.MkdirAll(filepath.Dir(run), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(run, []byte("// entry point\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRequiredPackagesListResourcePluginsOfInstalledPackages(t *testing.T) {
	dir := fakeProgram(t)
	resp, err := newHost("", "3.276.0").GetRequiredPackages(context.Background(),
		&pulumirpc.GetRequiredPackagesRequest{Info: &pulumirpc.ProgramInfo{ProgramDirectory: dir}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range resp.GetPackages() {
		got = append(got, p.GetKind()+":"+p.GetName()+"@"+p.GetVersion())
	}
	want := []string{"resource:command@1.2.1", "resource:kubernetes@4.25.0"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("packages = %v, want %v", got, want)
	}
}

func TestRequiredPackagesExplainAMissingInstall(t *testing.T) {
	_, err := resourcePlugins(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "npm ci") {
		t.Fatalf("err = %v, want advice to run npm ci", err)
	}
}

func TestProgramDependenciesReportInstalledVersions(t *testing.T) {
	deps, err := declaredDependencies(fakeProgram(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []dependency{{"@pulumi/kubernetes", "4.25.0"}, {"jest", "29.7.0"}, {"left-pad", "1.3.0"}}
	if !reflect.DeepEqual(deps, want) {
		t.Fatalf("deps = %v, want %v", deps, want)
	}
}

func TestRunCommandPassesTheEngineContractToCmdRun(t *testing.T) {
	options, err := structpb.NewStruct(map[string]any{
		"typescript": false, "nodeargs": "--max-old-space-size=4096 --trace-warnings", "tsconfig": "tsconfig.ci.json",
	})
	if err != nil {
		t.Fatal(err)
	}
	req := &pulumirpc.RunRequest{
		MonitorAddress: "127.0.0.1:1", Project: "p", Stack: "s", Pwd: "/prog", Program: ".",
		Args: []string{"extra"}, DryRun: true, Parallel: 8, Organization: "org",
		Config:           map[string]string{"p:key": "value"},
		ConfigSecretKeys: []string{"p:key"},
		Info:             &pulumirpc.ProgramInfo{RootDirectory: "/root", Options: options},
	}
	args, env, err := runCommand(req, "127.0.0.1:2", "/sdk/cmd/run")
	if err != nil {
		t.Fatal(err)
	}
	wantArgs := []string{
		"--max-old-space-size=4096", "--trace-warnings", "/sdk/cmd/run",
		"--monitor=127.0.0.1:1", "--engine=127.0.0.1:2", "--project=p", "--stack=s", "--pwd=/prog",
		"--parallel=8", "--organization=org", "--root-directory=/root", "--dry-run", ".", "extra",
	}
	if !reflect.DeepEqual(args, wantArgs) {
		t.Fatalf("args = %q\nwant   %q", args, wantArgs)
	}
	for _, want := range []string{
		`PULUMI_CONFIG={"p:key":"value"}`, `PULUMI_CONFIG_SECRET_KEYS=["p:key"]`,
		"PULUMI_NODEJS_TYPESCRIPT=false", "PULUMI_NODEJS_TSCONFIG_PATH=tsconfig.ci.json",
	} {
		if !contains(env, want) {
			t.Errorf("env lacks %s", want)
		}
	}
}

func TestRunCommandDefaultsToTypeScriptAndNoSecretKeys(t *testing.T) {
	args, env, err := runCommand(&pulumirpc.RunRequest{Pwd: "/prog"}, "e", "/sdk/cmd/run")
	if err != nil {
		t.Fatal(err)
	}
	if contains(args, "--dry-run") || args[len(args)-1] != "." {
		t.Fatalf("args = %q: want no --dry-run and the program folder last", args)
	}
	if !contains(env, "PULUMI_NODEJS_TYPESCRIPT=true") || !contains(env, "PULUMI_CONFIG_SECRET_KEYS=[]") {
		t.Fatalf("env defaults missing: %q", env[len(env)-3:])
	}
}

func TestSDKRunScriptIsFoundFromAProgramSubfolder(t *testing.T) {
	dir := fakeProgram(t)
	sub := filepath.Join(dir, "stacks")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	script, err := sdkScript(sub, "run")
	if err != nil || script != filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run") {
		t.Fatalf("script = %q, err = %v", script, err)
	}
}

func contains(list []string, want string) bool {
	for _, s := range list {
		if s == want {
			return true
		}
	}
	return false
}

// A stack with no configuration: @pulumi/pulumi reads PULUMI_CONFIG as an object.
func TestRunCommandSendsAnEmptyConfigAsAnObject(t *testing.T) {
	_, env, err := runCommand(&pulumirpc.RunRequest{Pwd: "/prog"}, "e", "/sdk/cmd/run")
	if err != nil {
		t.Fatal(err)
	}
	if !contains(env, "PULUMI_CONFIG={}") {
		t.Fatalf("env has no PULUMI_CONFIG={}: %q", env[len(env)-3:])
	}
}
