#!/usr/bin/env bash
# Reproduces the dashboard numbers in docs/benchmarks.md:   ./bench/dashboard.sh [stores]   (default: 10000)
# Needs /usr/bin/chromium (apt-get install -y chromium). Publishes the CLI and builds bench/DashboardBench (Playwright).
# 1. A fresh copy of the prod stack with a generated inventory (rings assigned, the lab simulator as its hub) and
#    `up --all-rings`; `edgeinfra serve` on a loopback port (no token). In chromium: the overview's first meaningful
#    paint (navigation start → the frame after the status numbers are in the page), 7 loads with the status snapshot
#    warm and 3 with it expired; then 20 page changes of the stores table (click → the frame after the new page).
# 2. The 500-store lab: a rollout started over the API while frozen, the rollout view attached, then unfrozen; for each
#    decision, its `emitted` wall time → the moment its timeline entry is added to the page.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
n=${1:-10000}
out=$(mktemp -d /tmp/edgeinfra-dashbench.XXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$out"' EXIT
dotnet publish "$root/infra/EdgeInfra.Cli" -c Release -o "$out/cli" --nologo -v quiet >/dev/null
dotnet build "$root/bench/DashboardBench" -c Release -o "$out/bench" --nologo -v quiet >/dev/null
cli="$out/cli/edgeinfra"
bench="$out/bench/DashboardBench"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(dotnet --version) SDK, $(/usr/bin/chromium --version 2>/dev/null), load $(cut -d' ' -f1-3 /proc/loadavg)"

dir="$out/prod-$n"; prod_fleet "$cli" "$root" "$dir" "$n"
"$cli" up --cwd "$dir" --stack prod --all-rings --yes >/dev/null 2>&1
serve "$cli" "$out" "$dir" prod
echo "prod, $n stores:"
"$bench" paint "$url"
kill $pid; wait $pid 2>/dev/null || true

lab="$out/lab"; lab_project "$root" "$lab"
serve "$cli" "$out" "$lab" lab
echo "lab, 500 stores:"
"$bench" live "$url"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
