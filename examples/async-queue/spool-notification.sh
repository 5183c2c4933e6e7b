#!/bin/sh
# A background "notify" job: write its workload to a spool directory that a mailer (or anything) drains. The file
# appears under its final name only once complete (written under a dot name, then renamed in the same directory).
set -eu
spool="${1:?usage: spool-notification.sh SPOOL_DIR}"
mkdir -p "$spool"
tmp=$(mktemp "$spool/.incoming.XXXXXX")
cat > "$tmp"
mv "$tmp" "$spool/$(date +%s).${tmp##*.}.msg"
