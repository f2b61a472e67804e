// Command vcsim-host runs one govmomi vCenter simulator for providers/vcsim.
//
// It serves the same simulator as govmomi's vcsim command, configured the way the CAPV vcsim
// controller configures it (a VPX model whose About.Version is the requested vSphere version),
// which the vcsim command cannot do: it has no flag for the reported vSphere version. Its
// configuration, credentials included, comes from a 0600 JSON file rather than the command line,
// which every local user can read in /proc. It runs under the stack's supervisor
// (hack/tools/supervise), which starts it again when it exits: every start serves the same
// certificate on the same port and restores the same inventory (see restore.go). Once listening
// and restored, it writes a ready file (0600) with the URL, port and PID; it stops cleanly on
// SIGTERM or SIGINT, removing the model's files.
package main

import (
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"

	"github.com/vmware/govmomi/simulator"

	// Endpoints beyond the SOAP SDK: REST sessions and content libraries, storage policies,
	// SSO lookup and token service, and CNS, as CAPV and govc use them.
	_ "github.com/vmware/govmomi/cns/simulator"
	_ "github.com/vmware/govmomi/lookup/simulator"
	_ "github.com/vmware/govmomi/pbm/simulator"
	_ "github.com/vmware/govmomi/sts/simulator"
	_ "github.com/vmware/govmomi/vapi/simulator"
)

// config is written by providers/vcsim (see simulator-process.ts); field names are shared.
type config struct {
	Listen          string `json:"listen"`
	Username        string `json:"username"`
	Password        string `json:"password"`
	VsphereVersion  string `json:"vsphereVersion"`
	APIVersion      string `json:"apiVersion"`
	Datacenters     int    `json:"datacenters"`
	Clusters        int    `json:"clusters"`
	HostsPerCluster int    `json:"hostsPerCluster"`
	Pools           int    `json:"pools"`
	Datastores      int    `json:"datastores"`
	ReadyFile       string `json:"readyFile"`
	// CertFile and KeyFile hold the served certificate, made on the first start.
	CertFile string `json:"certFile"`
	KeyFile  string `json:"keyFile"`
	// ScratchDirs are emptied on every start, before the model is created.
	ScratchDirs []string `json:"scratchDirs"`
	// Govc runs Restore, the commands that shape the inventory, once listening.
	Govc    string     `json:"govc"`
	Restore [][]string `json:"restore"`
}

type ready struct {
	URL  string `json:"url"`
	Port string `json:"port"`
	PID  int    `json:"pid"`
}

func main() {
	configPath := flag.String("config", "", "path of the JSON configuration file (mode 0600)")
	flag.Parse()
	cfg, err := readConfig(*configPath)
	if err != nil {
		log.Fatalf("vcsim-host: %v", err)
	}
	// A ready file left by the previous run names a process that is gone.
	if err := os.Remove(cfg.ReadyFile); err != nil && !os.IsNotExist(err) {
		log.Fatalf("vcsim-host: %v", err)
	}
	if err := clearScratch(cfg.ScratchDirs); err != nil {
		log.Fatalf("vcsim-host: %v", err)
	}
	tlsConfig := new(tls.Config)
	if cfg.CertFile != "" {
		cert, err := serverCertificate(cfg.CertFile, cfg.KeyFile)
		if err != nil {
			log.Fatalf("vcsim-host: the certificate: %v", err)
		}
		tlsConfig.Certificates = []tls.Certificate{cert}
	}

	model := simulator.VPX()
	model.Autostart = false
	model.Datacenter = cfg.Datacenters
	model.Cluster = cfg.Clusters
	model.ClusterHost = cfg.HostsPerCluster
	model.Pool = cfg.Pools
	model.Datastore = cfg.Datastores
	model.Host = 0    // no standalone hosts: CAPV places machines in clusters
	model.Machine = 0 // the provider creates the machine templates it needs
	about := &model.ServiceContent.About
	about.Version = cfg.VsphereVersion
	about.ApiVersion = cfg.APIVersion
	about.FullName = fmt.Sprintf("VMware vCenter Server %s (govmomi simulator)", cfg.VsphereVersion)
	about.OsType = runtime.GOOS + "-" + runtime.GOARCH

	if err := model.Create(); err != nil {
		log.Fatalf("vcsim-host: creating the model: %v", err)
	}
	model.Service.RegisterEndpoints = true
	model.Service.Listen = &url.URL{Host: cfg.Listen, User: url.UserPassword(cfg.Username, cfg.Password)}
	model.Service.TLS = tlsConfig
	server := model.Service.NewServer()

	if err := restore(cfg, server.URL); err != nil {
		server.Close()
		model.Remove()
		log.Fatalf("vcsim-host: %v", err)
	}
	if err := writeReady(cfg.ReadyFile, server.URL); err != nil {
		server.Close()
		model.Remove()
		log.Fatalf("vcsim-host: %v", err)
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	server.Close()
	model.Remove()
}

func readConfig(path string) (*config, error) {
	if path == "" {
		return nil, fmt.Errorf("-config is required")
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s holds credentials and must not be readable by others (mode %o)", path, st.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cfg config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if cfg.Username == "" || cfg.Password == "" || cfg.ReadyFile == "" || cfg.VsphereVersion == "" {
		return nil, fmt.Errorf("%s: username, password, vsphereVersion and readyFile are required", path)
	}
	if (cfg.CertFile == "") != (cfg.KeyFile == "") || (len(cfg.Restore) > 0 && cfg.Govc == "") {
		return nil, fmt.Errorf("%s: certFile and keyFile go together, and restore needs govc", path)
	}
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	return &cfg, nil
}

// writeReady publishes the server address atomically, so a reader never sees a partial file.
func writeReady(path string, u *url.URL) error {
	data, err := json.Marshal(ready{
		URL:  (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String(),
		Port: u.Port(),
		PID:  os.Getpid(),
	})
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ready-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
