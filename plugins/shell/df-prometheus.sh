#!/bin/sh
# Size, used and available bytes of the file system holding a path, as Prometheus text exposition format 0.0.4.
# Usage: df-prometheus.sh <path>. The agent passes the path as one argv entry, already checked to be an absolute
# path; it is quoted below and never evaluated.
set -eu
# POSIX output with 1-byte blocks: "Filesystem 1-blocks Used Available Capacity Mounted-on".
df -P -B1 -- "$1" | awk '
function label(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
function gauge(name, help, value) {
    printf "# HELP %s %s\n# TYPE %s gauge\n", name, help, name
    printf "%s{mountpoint=\"%s\",device=\"%s\"} %s\n", name, label($6), label($1), value
}
NR == 2 {
    gauge("shell_filesystem_size_bytes", "Size of the file system in bytes.", $2)
    gauge("shell_filesystem_used_bytes", "Bytes in use.", $3)
    gauge("shell_filesystem_avail_bytes", "Bytes available to unprivileged users.", $4)
}'
