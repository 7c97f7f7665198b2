package rdsca

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
)

// The bundle is what its checksum pins, every block is a CA certificate,
// and it holds the CA the stack's database uses (rds-ca-rsa2048-g1, in
// eu-central-1) with the region's other current roots.
func TestBundle(t *testing.T) {
	if err := Verify(); err != nil {
		t.Fatal(err)
	}
	var subjects []string
	rest := Bundle
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		if !cert.IsCA || !strings.Contains(cert.Subject.String(), "Amazon RDS") {
			t.Errorf("not an RDS CA: %s", cert.Subject)
		}
		subjects = append(subjects, cert.Subject.CommonName)
	}
	if len(bytes.TrimSpace(rest)) != 0 || len(subjects) != 115 {
		t.Fatalf("%d certificates and %d stray bytes", len(subjects), len(rest))
	}
	for _, want := range []string{"Amazon RDS eu-central-1 Root CA RSA2048 G1", "Amazon RDS eu-central-1 Root CA RSA4096 G1", "Amazon RDS eu-central-1 Root CA ECC384 G1"} {
		found := false
		for _, s := range subjects {
			found = found || s == want
		}
		if !found {
			t.Errorf("the bundle lacks %s", want)
		}
	}
	path, err := File(t.TempDir())
	if err != nil || !strings.HasSuffix(path, ".pem") {
		t.Fatalf("File = %q, %v", path, err)
	}
}
