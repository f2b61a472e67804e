package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// packageJSON holds the fields of package.json this host reads.
type packageJSON struct {
	Name            string            `json:"name"`
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Pulumi          *struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

type plugin struct{ name, version, server string }

type dependency struct{ name, version string }

func readPackageJSON(path string) (*packageJSON, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var pkg packageJSON
	if err := json.Unmarshal(data, &pkg); err != nil {
		return nil, errors.New(path + ": " + err.Error())
	}
	return &pkg, nil
}

// nodeModules finds the node_modules folder that serves dir, walking up as Node's resolver does.
func nodeModules(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, "node_modules")
		if st, err := os.Stat(candidate); err == nil && st.IsDir() {
			return candidate, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no node_modules folder at or above " + dir + ": run `npm ci` first")
		}
	}
}

// resourcePlugins lists the resource plugins that installed packages declare in their
// `pulumi` package.json stanza, as the engine needs them to load providers.
func resourcePlugins(programDir string) ([]plugin, error) {
	modules, err := nodeModules(programDir)
	if err != nil {
		return nil, err
	}
	manifests, err := packageManifests(modules)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var plugins []plugin
	for _, path := range manifests {
		pkg, err := readPackageJSON(path)
		if err != nil {
			return nil, err
		}
		if pkg.Pulumi == nil || !pkg.Pulumi.Resource {
			continue
		}
		p := plugin{name: pkg.Pulumi.Name, version: pkg.Pulumi.Version, server: pkg.Pulumi.Server}
		if p.name == "" {
			p.name = strings.TrimPrefix(pkg.Name, "@pulumi/")
		}
		if p.version == "" {
			p.version = pkg.Version
		}
		if key := p.name + "@" + p.version; !seen[key] {
			seen[key] = true
			plugins = append(plugins, p)
		}
	}
	sort.Slice(plugins, func(i, j int) bool { return plugins[i].name < plugins[j].name })
	return plugins, nil
}

// packageManifests lists the package.json of every top-level and scoped package in modules.
func packageManifests(modules string) ([]string, error) {
	var manifests []string
	entries, err := os.ReadDir(modules)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		dir := filepath.Join(modules, e.Name())
		if strings.HasPrefix(e.Name(), "@") {
			scoped, err := os.ReadDir(dir)
			if err != nil {
				return nil, err
			}
			for _, s := range scoped {
				manifests = appendIfExists(manifests, filepath.Join(dir, s.Name(), "package.json"))
			}
			continue
		}
		manifests = appendIfExists(manifests, filepath.Join(dir, "package.json"))
	}
	return manifests, nil
}

func appendIfExists(list []string, path string) []string {
	if _, err := os.Stat(path); err == nil {
		return append(list, path)
	}
	return list
}

// declaredDependencies lists the program's dependencies with the versions actually installed.
func declaredDependencies(programDir string) ([]dependency, error) {
	pkg, err := readPackageJSON(filepath.Join(programDir, "package.json"))
	if err != nil {
		return nil, err
	}
	modules, err := nodeModules(programDir)
	if err != nil {
		return nil, err
	}
	var deps []dependency
	for _, declared := range []map[string]string{pkg.Dependencies, pkg.DevDependencies} {
		for name, wanted := range declared {
			version := wanted
			if installed, err := readPackageJSON(filepath.Join(modules, name, "package.json")); err == nil {
				version = installed.Version
			}
			deps = append(deps, dependency{name: name, version: version})
		}
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].name < deps[j].name })
	return deps, nil
}
