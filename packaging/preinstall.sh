#!/bin/sh
# Create the dedicated system user portald runs as (idempotent).
set -e
if ! getent group portald >/dev/null 2>&1; then
  groupadd --system portald 2>/dev/null || addgroup --system portald
fi
if ! getent passwd portald >/dev/null 2>&1; then
  useradd --system --gid portald --home-dir /var/lib/portald --no-create-home \
    --shell /usr/sbin/nologin --comment "portald Portal API server" portald 2>/dev/null ||
  adduser --system --ingroup portald --home /var/lib/portald --no-create-home \
    --shell /usr/sbin/nologin portald
fi
exit 0
