#!/bin/sh
# Stop the service before its files go away; keep the user and /var/lib/portald (data).
# A service that is not running or not known is no error.
set -e
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl stop portald.service >/dev/null 2>&1 || true
  systemctl disable portald.service >/dev/null 2>&1 || true
fi
exit 0
