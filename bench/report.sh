#!/usr/bin/env bash
# Reproduces the compliance-report numbers in docs/benchmarks.md:   ./bench/report.sh [stores...]   (default: 2500)
# For each size: a fresh copy of the prod stack with a generated inventory (rings assigned) and a local fleet repo, one
# `up --all-rings` (real ring commits with their trailers and pinned digests), then bench/ReportBench appends 30 days of
# audit records as a daily rollout leaves them (apply, pending/applying/ready per store, 3 % offline and caught up, a
# promote with gate numbers, a rollback one day in ten), and `edgeinfra report` is timed over those 30 days as HTML and
# as JSON and as PDF (headless chromium's print of the HTML page; process start and the browser included: wall, CPU
# user+sys of the whole process tree, chromium's renderers included (bench/cputree.py), peak RSS of the largest), three
# runs each. Prints the load average too, as the machine is shared. SPREAD=1: offline stores catch up at times of their
# own (ReportBench's `spread`), so hardly two gapped stores share a timeline: the PDF's worst case.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(2500)
out=$(mktemp -d /tmp/edgeinfra-reportbench.XXXX)
dotnet publish "$root/infra/EdgeInfra.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$out/cli" --nologo -v quiet >/dev/null
dotnet build "$root/bench/ReportBench" -c Release -o "$out/bench" --nologo -v quiet >/dev/null
cli="$out/cli/edgeinfra"
measure() { "$root/bench/cputree.py" "$@" 2>&1 >/dev/null | tail -1; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(dotnet --version) SDK"
for n in "${sizes[@]}"; do
  dir="$out/fleet-$n"; prod_fleet "$cli" "$root" "$dir" "$n"
  "$cli" up --cwd "$dir" --stack prod --all-rings --yes >/dev/null 2>&1
  dotnet "$out/bench/ReportBench.dll" "$dir" prod 30 ${SPREAD:+spread}
  log="$dir/.edgeinfra/rollout/prod/audit.jsonl"
  echo "== $n stores, audit log $(du -h "$log" | cut -f1) (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  from=$(date -u -d '30 days ago' +%F); to=$(date -u +%F)
  for i in 1 2 3; do
    echo "report --format html, 30 days: $(measure "$cli" report --cwd "$dir" --stack prod --from "$from" --to "$to" --output "$out/report.html")"
    echo "report --format json, 30 days: $(measure "$cli" report --cwd "$dir" --stack prod --from "$from" --to "$to" --format json)"
    echo "report --format pdf, 30 days: $(measure "$cli" report --cwd "$dir" --stack prod --from "$from" --to "$to" --format pdf --output "$out/report.pdf")"
  done
  pages=$(command -v pdfinfo >/dev/null && pdfinfo "$out/report.pdf" | awk '/^Pages:/ {print $2}' || echo '?')
  echo "html size: $(du -h "$out/report.html" | cut -f1); pdf size: $(du -h "$out/report.pdf" | cut -f1), $pages pages; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
rm -rf "$out"
