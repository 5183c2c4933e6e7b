#!/bin/sh
# Map step: count the lines of the job's workload that match PATTERN. grep -c exits 1 when it counts 0, which is an
# answer here, not a failure; 2 (a real error) still fails the job.
set -u
grep -c -e "${1:?usage: count-matches.sh PATTERN}" || [ $? -eq 1 ]
