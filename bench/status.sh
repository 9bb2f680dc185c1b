#!/usr/bin/env bash
# Reproduces the status-classification numbers in docs/benchmarks.md:   ./bench/status.sh [stores...]   (default: 10000)
# For each size: a fresh copy of the prod stack (no hub config, so the lab simulator is its hub) with a generated
# inventory (rings assigned) and a local fleet repo, one `up --all-rings` to write the fleet repo, then bench/StatusBench runs the lab simulator for 2 virtual hours and times the status read
# (every page of every hub list over HTTP through FleetHubClient + classification of every store), median of 5 after a warm-up,
# with each round split into the hub's serialising, the client's wait and parse, and the classification alone, and the same
# lists read through KubernetesClient's typed custom-object lists (the client before) for comparison.
# Also prints the load average before and after, as the machine is shared.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000)
out=$(mktemp -d /tmp/edgeinfra-statusbench.XXXX)
dotnet publish "$root/infra/EdgeInfra.Cli" -c Release -o "$out/cli" --nologo -v quiet >/dev/null
dotnet build "$root/bench/StatusBench" -c Release -o "$out/bench" --nologo -v quiet >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(dotnet --version) SDK"
for n in "${sizes[@]}"; do
  dir="$out/lab-$n"; prod_fleet "$out/cli/edgeinfra" "$root" "$dir" "$n"
  "$out/cli/edgeinfra" up --cwd "$dir" --stack prod --all-rings --yes >/dev/null 2>&1
  echo "== $n stores (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  dotnet "$out/bench/StatusBench.dll" "$dir" prod 120
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
rm -rf "$out"
