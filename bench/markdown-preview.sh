#!/usr/bin/env bash
# Reproduces the markdown preview budget in docs/benchmarks.md:   ./bench/markdown-preview.sh [stores] [runs]
# (default 10000 stores, 5 runs). A fresh prod project with a generated inventory (rings assigned) and a first
# `up --all-rings`, then for two changes, `preview --json` and `preview --format markdown` timed alternately (process
# start included, inventory cached), medians reported:
#   1. pos-app's release bumped: a few bundle files per ring, the whole diff fits in the comment;
#   2. the same plus a new label on every store: every store's Cluster changes, and the comment's diff is cut.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
n=${1:-10000}; runs=${2:-5}
out=$(mktemp -d /tmp/edgeinfra-mdbench.XXXX)
dotnet publish "$root/infra/EdgeInfra.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$out/cli" --nologo -v quiet >/dev/null
cli="$out/cli/edgeinfra"
dir="$out/fleet-$n"; prod_fleet "$cli" "$root" "$dir" "$n"
"$cli" up --cwd "$dir" --stack prod --all-rings --yes >/dev/null 2>&1
seconds() { /usr/bin/time -f '%e' "$@" 2>&1 >/dev/null | tail -1; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
compare() {
  local json=() md=()
  "$cli" preview --cwd "$dir" --stack prod --json >/dev/null 2>&1 # warm the inventory and schema caches
  for _ in $(seq "$runs"); do
    json+=("$(seconds "$cli" preview --cwd "$dir" --stack prod --json)")
    md+=("$(seconds "$cli" preview --cwd "$dir" --stack prod --format markdown)")
  done
  local j m
  j=$(printf '%s\n' "${json[@]}" | median); m=$(printf '%s\n' "${md[@]}" | median)
  "$cli" preview --cwd "$dir" --stack prod --format markdown > "$out/comment.md" 2>/dev/null
  echo "$1: json median ${j} s [${json[*]}], markdown median ${m} s [${md[*]}], markdown/json $(echo "$m / $j" | bc -l | cut -c1-5)," \
    "comment $(wc -m < "$out/comment.md") characters$(grep -o '… [0-9]* more resources not shown' "$out/comment.md" | sed 's/^/, /')"
}
echo "machine: $(nproc) cores, $(dotnet --version) SDK; $n stores, $runs runs each"
"$cli" config set --cwd "$dir" --stack prod --path apps.pos-app.version 9.9.9 >/dev/null
compare "release bump"
sed -i 's/^    labels:$/    labels:\n      bench-label: "on"/' "$dir/stacks/prod/stores.yaml"
compare "release bump + a label on every store"
