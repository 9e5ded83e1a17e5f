#!/usr/bin/env bash
# scripts/package-install-check.sh DEB (run by package-check with
# PACKAGE_CHECK_INSTALL=1, as root; it refuses a machine that already has
# portalctl or a portald user, and leaves the machine as it found it):
# installs the .deb, follows the README's first run of the packaged service
# — import as the portald user, then portald serve with the settings of
# /etc/default/portald, as the unit runs it — checks that it serves the
# imported data, then purges the package and removes the portald user.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/portald-url.sh
deb=$1
[ "$(id -u)" = 0 ] || { echo "package-install-check: needs root" >&2; exit 1; }
if dpkg -s portalctl >/dev/null 2>&1 || getent passwd portald >/dev/null; then
  echo "package-install-check: portalctl or a portald user is already here; leaving this machine alone" >&2
  exit 1
fi
log=$(mktemp)
pid=""
cleanup() {
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  dpkg -P portalctl >/dev/null 2>&1 || true
  userdel portald 2>/dev/null || true
  groupdel portald 2>/dev/null || true
  rm -rf /var/lib/portald "$log"
}
trap cleanup EXIT
fail() { echo "package-install-check: $*" >&2; exit 1; }

dpkg -i "$deb" >/dev/null
[ "$(stat -c '%a %U:%G' /etc/default/portald)" = "640 root:portald" ] || fail "/etc/default/portald is $(stat -c '%a %U:%G' /etc/default/portald)"
[ "$(stat -c '%a %U:%G' /var/lib/portald)" = "750 portald:portald" ] || fail "/var/lib/portald is $(stat -c '%a %U:%G' /var/lib/portald)"
man -w portald >/dev/null || fail "man portald finds no page"

# The README's first run (sudo -u is runuser -u here: CI has no sudo).
runuser -u portald -- portald import --db /var/lib/portald/portald.db - < testdata/example-import.json

# As the unit runs it: the file's settings in the environment, no --db.
(
  set -a
  . /etc/default/portald
  PORTALD_ADDR=127.0.0.1:0
  exec runuser -u portald -- /usr/bin/portald serve --log-format text
) 2>"$log" &
pid=$!
url=$(portald_url "$log")
curl -sSf "$url/readyz" >/dev/null || fail "/readyz does not answer"
token=$(curl -sSf -H 'Content-Type: application/json' -d '{"username":"ava","password":"demo","name":"check"}' "$url/v1/auth/tokens" |
  grep -o '"token":"[^"]*"' | cut -d'"' -f4)
curl -sSf -H "Authorization: Bearer $token" "$url/v1/projects" | grep -q 'Office 365 migration' ||
  fail "portald does not serve the data imported into PORTALD_DB"
echo "package-install-check: installed, imported as portald, served from PORTALD_DB, purged"
