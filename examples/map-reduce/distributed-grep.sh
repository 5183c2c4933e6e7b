#!/bin/sh
# Distributed grep: map = one foreground job per file, all in flight at once, spread over every worker of FUNCTION;
# reduce = sum the counts. Prints "FILE COUNT" per file, then "total N". NARADA overrides the narada command.
set -eu
[ $# -ge 2 ] || { echo "usage: distributed-grep.sh FUNCTION FILE..." >&2; exit 2; }
narada=${NARADA:-narada}
function=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
i=0
pids=
for file in "$@"; do
  i=$((i + 1))
  $narada submit -f "$function" < "$file" > "$work/$i" &
  pids="$pids $!"
done
failed=0
for pid in $pids; do
  wait "$pid" || failed=1
done
[ "$failed" -eq 0 ] || { echo "distributed-grep: a map job failed" >&2; exit 1; }
i=0
total=0
for file in "$@"; do
  i=$((i + 1))
  count=$(tr -d '[:space:]' < "$work/$i")
  echo "$file $count"
  total=$((total + count))
done
echo "total $total"
