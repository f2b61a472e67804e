package main

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
)

// clearScratch empties the folders that back only the in-memory inventory (the model's
// datastores in $TMPDIR, the datastores the shaping commands create): what a previous run of
// the simulator left there, killed before it could remove it, belongs to an inventory that died
// with it, and would collide with the one restored now.
func clearScratch(dirs []string) error {
	for _, dir := range dirs {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	return nil
}

// restore runs the govc commands that shape a fresh simulator into the stack's inventory
// (providers/vcsim/inventory.ts), on the first start and after every restart alike: vcsim keeps
// its inventory in memory only. The same commands in the same order give the same managed
// object IDs and VM UUIDs (vcsim numbers objects in creation order and derives UUIDs from
// paths). Credentials go in govc's environment, never its argv; govc talks to this process's
// own loopback listener, so it does not check the certificate.
func restore(cfg *config, server *url.URL) error {
	if len(cfg.Restore) == 0 {
		return nil
	}
	sdk := url.URL{Scheme: server.Scheme, Host: server.Host, Path: server.Path}
	env := append(os.Environ(),
		"GOVC_URL="+sdk.String(),
		"GOVC_USERNAME="+cfg.Username,
		"GOVC_PASSWORD="+cfg.Password,
		"GOVC_INSECURE=true",
		"GOVC_PERSIST_SESSION=false",
	)
	for _, args := range cfg.Restore {
		cmd := exec.Command(cfg.Govc, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			msg := strings.ReplaceAll(strings.TrimSpace(string(out)), cfg.Password, "****")
			return fmt.Errorf("restoring the inventory: govc %s: %v: %s", strings.Join(args, " "), err, msg)
		}
	}
	return nil
}
