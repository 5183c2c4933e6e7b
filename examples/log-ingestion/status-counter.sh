#!/bin/sh
# One access-log line on stdin (one `narada submit -n -f logger` job): count it under its HTTP status code in a
# node_exporter textfile-collector file, rewritten atomically so a scrape never sees half a file. Run one worker per
# file (a narada worker serves one job at a time), so updates never race.
set -eu
textfile="${1:?usage: status-counter.sh /var/lib/node_exporter/textfile/access_log.prom}"
# common and combined log format: the status code is field 9
code=$(awk 'NR == 1 { print $9 }')
case "$code" in
  [1-5][0-9][0-9]) ;;
  *) code=invalid ;;
esac
tmp="$textfile.$$.tmp"
{
  echo '# HELP access_log_requests_total Requests in the access log by HTTP status code.'
  echo '# TYPE access_log_requests_total counter'
  { [ -f "$textfile" ] && grep '^access_log_requests_total{' "$textfile" || true; } | awk -v code="$code" '
    { match($0, /code="[^"]*"/); n[substr($0, RSTART + 6, RLENGTH - 7)] = $2 }
    END { n[code]++; for (c in n) printf "access_log_requests_total{code=\"%s\"} %d\n", c, n[c] }' | sort
} > "$tmp"
mv "$tmp" "$textfile"
