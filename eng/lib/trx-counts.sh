#!/usr/bin/env bash
# Prints "passed failed skipped" from a TRX file's <Counters>; "0 0 0" when there is none.
trx=${1:?usage: trx-counts.sh FILE}
if [ ! -f "$trx" ]; then
  echo "0 0 0"
  exit 0
fi
counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
passed=$(get passed) failed=$(get failed) error=$(get error) timeout=$(get timeout) aborted=$(get aborted) not_executed=$(get notExecuted)
total=$(get total) executed=$(get executed)
# xUnit's skipped tests reach the TRX as total - executed, with notExecuted left at 0: count whichever is larger.
skipped=$(( ${total:-0} - ${executed:-0} ))
[ "${not_executed:-0}" -gt "$skipped" ] && skipped=${not_executed:-0}
echo "${passed:-0} $(( ${failed:-0} + ${error:-0} + ${timeout:-0} + ${aborted:-0} )) $skipped"
