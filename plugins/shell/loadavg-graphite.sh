#!/bin/sh
# Load averages and task counts from /proc/loadavg as Graphite plaintext lines: "<path> <value> <unix time>".
# Usage: loadavg-graphite.sh <metric prefix>. The manifest restricts the prefix to letters, digits, '_', '-' and '.'.
set -eu
prefix=$1
now=$(date +%s)
# /proc/loadavg: "0.52 0.58 0.59 2/345 12345" (1, 5, 15 minute load; running/total tasks; last pid).
awk -v p="$prefix" -v t="$now" '{
    split($4, tasks, "/")
    printf "%s.load.1min %s %s\n", p, $1, t
    printf "%s.load.5min %s %s\n", p, $2, t
    printf "%s.load.15min %s %s\n", p, $3, t
    printf "%s.tasks.running %s %s\n", p, tasks[1], t
    printf "%s.tasks.total %s %s\n", p, tasks[2], t
}' /proc/loadavg
