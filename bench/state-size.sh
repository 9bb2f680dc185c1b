#!/usr/bin/env bash
# State + history on disk after a series of releases:   ./bench/state-size.sh [stores=10000] [releases=10]
# Sets up a project as bench/run.sh does (prod stack, generated inventory --seed 7, rings assigned, first
# `up --all-rings`), then bumps pos-app's release and runs `up --all-rings` that many times, printing the size of
# .edgeinfra/.pulumi (checkpoints, history, content packs) after each, with the up's wall time, CPU and peak RSS.
# EDGEINFRA_CLI=path reuses an `edgeinfra` build instead of publishing one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
n=${1:-10000}; releases=${2:-10}
out=$(mktemp -d /tmp/edgeinfra-state.XXXX)
cli=${EDGEINFRA_CLI:-}
if [ -z "$cli" ]; then
  dotnet publish "$root/infra/EdgeInfra.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$out/cli" --nologo -v quiet >/dev/null
  cli="$out/cli/edgeinfra"
fi
dir="$out/fleet-$n"; prod_fleet "$cli" "$root" "$dir" "$n"
sizes() {
  local p="$dir/.edgeinfra/.pulumi"
  printf '%s bytes in all: stacks %s, history %s, blobs %s' "$(du -sb "$p" | cut -f1)" "$(du -sb "$p/stacks" | cut -f1)" \
    "$(du -sb "$p/history" | cut -f1)" "$( [ -d "$p/blobs" ] && du -sb "$p/blobs" | cut -f1 || echo 0)"
}
up() { /usr/bin/time -f '%e s wall, %U s user, %M KB peak RSS' "$cli" up --cwd "$dir" --stack prod --all-rings --yes 2>&1 >/dev/null | tail -1; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "first up --all-rings ($n stores): $(up)"
echo "  $(sizes)"
for i in $(seq 1 "$releases"); do
  "$cli" config set --cwd "$dir" --stack prod --path apps.pos-app.version "9.9.$i" >/dev/null
  echo "release $i, up --all-rings: $(up) (load $(cut -d' ' -f1 /proc/loadavg))"
  echo "  $(sizes)"
done
