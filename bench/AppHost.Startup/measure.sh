#!/usr/bin/env bash
# Cold start of `dotnet run --project AppHost` to all-ready, and the resident memory of the whole
# platform at idle. Runs after a build (so the start does not include compiling), N times (default 3):
#   bench/AppHost.Startup/measure.sh [runs]
# Each run starts AppHost with its own fresh state folder ("fresh": initdb included) and then once
# more on the same folder ("warm": data kept); memory is summed over every process of every
# resource and all their descendants (PostgreSQL's backends, Worker.Host's MCP server processes),
# read from /proc after the platform has idled 10 s. AppHost itself is not counted.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
dotnet build AppHost -nologo -clp:ErrorsOnly >/dev/null

rss_kib_of_trees() { # pids… → total VmRSS (KiB) of those processes and all their descendants
  local table
  table=$(for stat in /proc/[0-9]*/stat; do
    awk '{ pid = $1; sub(/^.*\) /, ""); print pid, $2 }' "$stat" 2>/dev/null
  done)
  local -A seen=()
  local queue=("$@") total=0 pid rss
  while [ ${#queue[@]} -gt 0 ]; do
    pid=${queue[0]}; queue=("${queue[@]:1}")
    [ -n "${seen[$pid]:-}" ] && continue
    seen[$pid]=1
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${rss:-0}))
    # shellcheck disable=SC2207
    queue+=($(echo "$table" | awk -v parent="$pid" '$2 == parent { print $1 }'))
  done
  echo "$total"
}

one_start() { # state-dir → "seconds rss_mib"
  local state=$1 file="$1/state.json" start end pids rss
  rm -f "$file"
  start=$(date +%s.%N)
  dotnet run --project AppHost --no-build -- --no-live --quiet --state-dir "$state" --state-file "$file" >"$state/apphost.out" 2>&1 &
  local runner=$!
  until grep -q '"state": "ready"' "$file" 2>/dev/null; do
    if ! kill -0 "$runner" 2>/dev/null; then echo "AppHost exited:" >&2; cat "$state/apphost.out" >&2; exit 1; fi
    sleep 0.1
  done
  end=$(date +%s.%N)
  sleep 10
  pids=$(grep -A20 '"pids"' "$file" | tr -d ' ,[]"' | grep -E '^[0-9]+$' | sort -u | tr '\n' ' ')
  rss=$(rss_kib_of_trees $pids)
  pkill -TERM -f "AppHost --no-live --quiet --state-dir $state" || true
  wait "$runner" || true
  echo "$(echo "$end - $start" | bc) $((rss / 1024))"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

fresh=() warm=() memory=()
for i in $(seq 1 "$runs"); do
  state=$(mktemp -d /tmp/mcpplatform-startup.XXXXXX)
  chmod 755 "$state"
  read -r seconds mib < <(one_start "$state"); fresh+=("$seconds"); memory+=("$mib")
  echo "run $i fresh: ${seconds}s to all-ready, ${mib} MiB resident at idle"
  read -r seconds mib < <(one_start "$state"); warm+=("$seconds"); memory+=("$mib")
  echo "run $i warm:  ${seconds}s to all-ready, ${mib} MiB resident at idle"
  rm -rf "$state"
done
echo "median fresh start: $(printf '%s\n' "${fresh[@]}" | median)s; median warm start: $(printf '%s\n' "${warm[@]}" | median)s; median idle RSS: $(printf '%s\n' "${memory[@]}" | median) MiB"
