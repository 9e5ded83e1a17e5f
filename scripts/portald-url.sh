# portald_url LOG: the address a portald started with --addr 127.0.0.1:0
# --log-format text announces in LOG, once it listens (up to 10 s); exits
# with LOG on stderr when it never does. Sourced by the scripts that start
# a portald (scripts/demo.sh, bench/lib.sh, scripts/package-install-check.sh).
portald_url() {
  local url=""
  for _ in $(seq 1 200); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$1" | head -1 || true)
    [ -n "$url" ] && { echo "$url"; return; }
    sleep 0.05
  done
  echo "portald did not start:" >&2
  cat "$1" >&2
  exit 1
}
