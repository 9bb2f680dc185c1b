#!/usr/bin/env bash
# Reproduces the service numbers in docs/benchmarks.md:   ./bench/service.sh [stores]   (default: 10000)
# 1. A fresh copy of the prod stack with a generated inventory (rings assigned, the lab simulator as its hub) and
#    `up --all-rings`; then `edgeinfra serve` on a loopback port (no token: loopback only).
# 2. Status: GET /api/v1/status (ring counts per state) and GET /api/v1/stores?pageSize=100 (one page), 50 rounds
#    after a warm-up; median, p90 and max of each (a round that finds the 5 s snapshot expired re-reads the hub).
# 3. Idle memory: the serve process's RSS after the status rounds and 30 s without requests.
# 4. SSE: a lab rollout (500 stores) started over the API and followed over SSE; per event, the delay from the moment
#    the walker emitted it (its `emitted` wall time) to the moment the client read it; median and max.
# 5. Idle memory of the lab service (500 stores): its RSS after 5 fresh status reads and 30 s without requests, once
#    before the rollout of 4. and once after it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
n=${1:-10000}
out=$(mktemp -d /tmp/edgeinfra-servicebench.XXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$out"' EXIT
dotnet publish "$root/infra/EdgeInfra.Cli" -c Release -o "$out/cli" --nologo -v quiet >/dev/null
cli="$out/cli/edgeinfra"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(dotnet --version) SDK, load $(cut -d' ' -f1-3 /proc/loadavg)"

dir="$out/prod-$n"; prod_fleet "$cli" "$root" "$dir" "$n"
"$cli" up --cwd "$dir" --stack prod --all-rings --yes >/dev/null 2>&1
serve "$cli" "$out" "$dir" prod
python3 - "$url" <<'PY'
import json, statistics, sys, time, urllib.request
url = sys.argv[1]
def get(path):
    t = time.perf_counter()
    with urllib.request.urlopen(url + path, timeout=120) as r: body = r.read()
    return (time.perf_counter() - t) * 1000, body
get("/api/v1/status"); get("/api/v1/stores?pageSize=100")   # warm-up: the first hub read
for path in ["/api/v1/status", "/api/v1/stores?pageSize=100", "/api/v1/stores?pageSize=100&state=ready&sort=id&page=7"]:
    ms = sorted(get(path)[0] for _ in range(50))
    print(f"{path}: median {statistics.median(ms):.1f} ms, p90 {ms[44]:.1f} ms, max {ms[-1]:.1f} ms (50 rounds)")
stores = json.loads(get("/api/v1/stores?pageSize=100")[1])
print("stores total:", stores.get("total"), "| rings:", ", ".join(f"{r['ring']}={r['stores']}" for r in json.loads(get('/api/v1/status')[1])['rings']))
PY
sleep 30
echo "idle RSS after 30 s: $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$pid/status) (peak $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$pid/status))"
kill $pid; wait $pid 2>/dev/null || true

lab="$out/lab"; lab_project "$root" "$lab"
serve "$cli" "$out" "$lab" lab
idle_after_reads() { # what: 5 fresh status reads (each reads the hub and replaces the snapshot), 30 s idle, RSS
  python3 - "$url" <<'PY'
import sys, urllib.request
for _ in range(5):
    for path in ["/api/v1/status?fresh=true", "/api/v1/stores?pageSize=100"]: urllib.request.urlopen(sys.argv[1] + path, timeout=120).read()
PY
  sleep 30
  echo "lab idle RSS $1, 5 status reads and 30 s: $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$pid/status) (peak $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$pid/status))"
}
idle_after_reads "after start"
python3 - "$url" <<'PY'
import json, statistics, sys, urllib.request
from datetime import datetime, timezone
url = sys.argv[1]
req = urllib.request.Request(url + "/api/v1/rollouts", data=b"{}", headers={"Content-Type": "application/json"}, method="POST")
rid = json.loads(urllib.request.urlopen(req, timeout=120).read())["id"]
delays, kinds = [], {}
with urllib.request.urlopen(url + f"/api/v1/rollouts/{rid}/events", timeout=600) as r:
    for raw in r:
        line = raw.decode().rstrip("\n")
        if not line.startswith("data:"): continue
        e = json.loads(line[5:])
        now = datetime.now(timezone.utc)
        emitted = datetime.fromisoformat(e["emitted"].replace("Z", "+00:00"))
        delays.append((now - emitted).total_seconds() * 1000)
        kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
        if e["kind"] == "end": print("rollout:", e["text"]); break
delays.sort()
print(f"SSE delivery: {len(delays)} events ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); "
      f"median {statistics.median(delays):.1f} ms, p99 {delays[int(len(delays) * 0.99) - 1]:.1f} ms, max {delays[-1]:.1f} ms")
PY
idle_after_reads "after the rollout"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
