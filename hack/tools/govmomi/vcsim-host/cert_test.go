package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestServerCertificateIsMadeOnceAndKept(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	first, err := serverCertificate(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{certFile, keyFile} {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %o, want 600", f, st.Mode().Perm())
		}
	}
	again, err := serverCertificate(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Certificate[0], again.Certificate[0]) {
		t.Error("a second start served a different certificate")
	}
	other, err := serverCertificate(filepath.Join(dir, "b.crt"), filepath.Join(dir, "b.key"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(first.Certificate[0], other.Certificate[0]) {
		t.Error("two simulators share a certificate")
	}
}

func TestServerCertificateRefusesABrokenPair(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	if err := os.WriteFile(certFile, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := serverCertificate(certFile, keyFile); err == nil {
		t.Error("a broken certificate was accepted (and would be replaced, changing the pin)")
	}
}

func TestClearScratchEmptiesEachFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ds")
	if err := os.MkdirAll(filepath.Join(dir, "vm1"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := clearScratch([]string{dir}); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 0 {
		t.Errorf("%s after clearScratch: %v, %v", dir, entries, err)
	}
}
