#!/usr/bin/env bash
# make package-check: builds the linux/amd64 .deb as a release does
# (GoReleaser on .goreleaser.yaml, narrowed in a temporary copy to that one
# target so it takes a minute, not the whole matrix) and checks it as Debian
# would:
#   * lintian reports no error (packaging/lintian-overrides says why the
#     static binaries are fine);
#   * /etc/default/portald is 0640 root:portald and names the database,
#     /var/lib/portald belongs to portald, both programs' man pages are
#     there, compressed;
#   * systemd-analyze verify passes on the unit (its man pages resolved
#     from the package) and systemd-analyze security rates it at most 2.0;
#   * with PACKAGE_CHECK_INSTALL=1 (CI, as root), the
#     package is installed, the README's first run is followed (import as
#     the portald user, serve with /etc/default/portald), then purged.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in lintian systemd-analyze dpkg-deb man; do
  command -v "$tool" >/dev/null 2>&1 || { echo "package-check: $tool is not installed (.ci/run installs it)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sed -e 's/goos: \[linux, darwin, windows\]/goos: [linux]/' -e 's/goarch: \[amd64, arm64\]/goarch: [amd64]/' \
  .goreleaser.yaml > "$work/goreleaser.yaml"
echo "dist: $work/dist" >> "$work/goreleaser.yaml"
if ! grep -q 'goos: \[linux\]$' "$work/goreleaser.yaml" || ! grep -q 'goarch: \[amd64\]$' "$work/goreleaser.yaml"; then
  echo "package-check: could not narrow .goreleaser.yaml to linux/amd64; update this script" >&2
  exit 1
fi
./scripts/goreleaser.sh release --snapshot --clean --config "$work/goreleaser.yaml" >"$work/goreleaser.log" 2>&1 ||
  { cat "$work/goreleaser.log" >&2; exit 1; }
deb=$(ls "$work"/dist/*_amd64.deb)
echo "package-check: built $(basename "$deb")"

fail=0
problem() { echo "package-check: $*" >&2; fail=1; }

# lintian: errors fail, warnings are shown.
if ! lintian --fail-on error --tag-display-limit 0 "$deb"; then
  problem "lintian reports errors (above)"
fi

listing=$(dpkg-deb -c "$deb")
has() { grep -Eq "$1" <<<"$listing" || problem "$2"; }
has '^-rw-r----- root/portald .* \./etc/default/portald$' "/etc/default/portald is not 0640 root:portald"
has '^drwxr-x--- portald/portald .* \./var/lib/portald/?$' "/var/lib/portald is not a 0750 directory of portald"
has '\./usr/share/man/man1/portald\.1\.gz$' "portald(1) is not shipped compressed"
has '\./usr/share/man/man1/portalctl\.1\.gz$' "portalctl(1) is not shipped compressed"
grep -Eq '\.1$' <<<"$listing" && problem "uncompressed man pages: $(grep -E '\.1$' <<<"$listing" | head -3)"

root=$work/root
dpkg-deb -x "$deb" "$root"
unit=$root/usr/lib/systemd/system/portald.service
grep -qx 'PORTALD_DB=/var/lib/portald/portald.db' "$root/etc/default/portald" ||
  problem "/etc/default/portald does not set PORTALD_DB=/var/lib/portald/portald.db"
grep -E '^ExecStart=' "$unit" | grep -q -- '--db' && problem "ExecStart passes --db, which would override PORTALD_DB"

# verify checks ExecStart= inside --root, and Documentation=man:… with man
# (MANPATH: the package's pages). The root also needs the units the
# service is ordered against (sysinit.target, …): this machine's.
cp -rn /lib/systemd/system/. "$root/usr/lib/systemd/system/"
if ! MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" portald.service; then
  problem "systemd-analyze verify fails (above)"
fi
security=$(systemd-analyze security --offline=true --root="$root" portald.service 2>&1 | tail -1)
echo "package-check: $security"
score=$(grep -Eo '[0-9]+\.[0-9]+ [A-Z]+' <<<"$security" | cut -d' ' -f1)
awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.0) }' || problem "systemd-analyze security rates the unit ${score:-?} (at most 2.0 wanted)"

if [ -n "${PACKAGE_CHECK_INSTALL:-}" ]; then
  ./scripts/package-install-check.sh "$deb" || problem "the installed package does not follow the README's first run"
fi
[ "$fail" = 0 ] && echo "package-check: the .deb passes lintian and systemd-analyze"
exit "$fail"
