#!/bin/sh
# /etc/default/portald may hold passwords: keep it root:portald 0640, also
# when an older package installed it world-readable. Tell systemd about the
# unit; do not start it: import the data first (README: portald as a service).
set -e
if [ -f /etc/default/portald ]; then
  chgrp portald /etc/default/portald
  chmod 0640 /etc/default/portald
fi
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || true
fi
exit 0
