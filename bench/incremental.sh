#!/usr/bin/env bash
# Incremental render (issue 12 §1), old build against new, CPU time:   ./bench/incremental.sh OLD_CLI NEW_CLI [stores=10000] [rounds=3]
# OLD_CLI and NEW_CLI are published `edgeinfra` binaries (ReadyToRun, as bench/run.sh publishes them; for the old one,
# `git archive <rev> | tar -x -C DIR` and publish from DIR). For the size given, each CLI gets its own project
# (bench/lib.sh prod_fleet: generated inventory --seed 7, rings assigned) and a first `up --all-rings`; then, runs
# alternating old/new:
#   1. a no-op `up --all-rings` (the first new-build run before it writes the render cache: not timed),
#   2. `preview` with pos-app's release bumped (inventory cached),
#   3. the same preview by the new CLI with its render cache removed first (what the cache saves, same binary),
#   4. a first `preview` of a project with empty state and no cache at all.
# Prints wall, user + sys CPU and peak RSS per run; the machine is shared, so compare CPU, and medians.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
old=$1 new=$2 n=${3:-10000} rounds=${4:-3}
out=$(mktemp -d /tmp/edgeinfra-incremental.XXXX)
run() { # run LABEL CLI DIR ARGS...
  local label=$1 cli=$2 dir=$3; shift 3
  /usr/bin/time -f "$label %e s wall %U %S cpu %M KB" "$cli" "$@" --cwd "$dir" --stack prod 2>&1 >/dev/null | tail -1 |
    awk '{printf "%-28s %6s s wall  %5.2f s cpu  %4d MB peak RSS\n", $1, $2, $5 + $6, $8 / 1024}'
}
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $n stores"
for v in old new; do
  cli=$old; [ $v = new ] && cli=$new
  prod_fleet "$cli" "$root" "$out/$v" "$n"
  prod_fleet "$cli" "$root" "$out/first-$v" "$n"
  "$cli" up --cwd "$out/$v" --stack prod --all-rings --yes >/dev/null 2>&1
done
"$new" up --cwd "$out/new" --stack prod --all-rings --yes >/dev/null 2>&1
echo "-- no-op up --all-rings"
for _ in $(seq "$rounds"); do
  run old-noop-up "$old" "$out/old" up --all-rings --yes
  run new-noop-up "$new" "$out/new" up --all-rings --yes
done
for v in old new; do "$old" config set --cwd "$out/$v" --stack prod --path apps.pos-app.version 9.9.1 >/dev/null; done
"$new" preview --cwd "$out/new" --stack prod >/dev/null 2>&1
echo "-- preview, release bumped"
for _ in $(seq "$rounds"); do
  run old-preview "$old" "$out/old" preview
  run new-preview "$new" "$out/new" preview
  cp "$out/new/.edgeinfra/cache/render/prod" "$out/render-cache"
  rm -rf "$out/new/.edgeinfra/cache/render"
  run new-preview-no-render-cache "$new" "$out/new" preview
  mkdir -p "$out/new/.edgeinfra/cache/render" && cp "$out/render-cache" "$out/new/.edgeinfra/cache/render/prod"
done
echo "-- first preview, empty state, no cache"
for _ in $(seq "$rounds"); do
  for v in old new; do
    cli=$old; [ $v = new ] && cli=$new
    rm -rf "$out/first-$v/.edgeinfra/cache"
    run "$v-first-preview" "$cli" "$out/first-$v" preview
  done
done
echo "render cache: $(stat -c %s "$out/new/.edgeinfra/cache/render/prod") bytes; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
