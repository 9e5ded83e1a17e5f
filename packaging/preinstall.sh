#!/bin/sh
# Create the dedicated system user portald runs as (idempotent), before the
# files are unpacked: /etc/default/portald and /var/lib/portald belong to it.
set -e
if ! getent group portald >/dev/null 2>&1; then
  groupadd --system portald
fi
if ! getent passwd portald >/dev/null 2>&1; then
  useradd --system --gid portald --home-dir /var/lib/portald --no-create-home \
    --shell /usr/sbin/nologin --comment "portald Portal API server" portald
fi
exit 0
