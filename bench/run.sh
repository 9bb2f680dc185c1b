#!/usr/bin/env bash
# Reproduces every number in docs/benchmarks.md: ./bench/run.sh [sizes...]   (default: 2500 10000 50000)
# Each size gets a fresh project dir with a generated inventory; the first `up --all-rings` lays down state, then we
# bump one app release across all rings and time `preview` (process start included), a no-op `up`, and an `up` that
# changes one store's override. Peak memory comes from /usr/bin/time -v (GNU time) when present.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(2500 10000 50000)
out=$(mktemp -d /tmp/edgeinfra-bench.XXXX)
dotnet publish "$root/infra/EdgeInfra.Cli" -c Release -o "$out/cli" --nologo -v quiet >/dev/null
cli="$out/cli/edgeinfra"
timer() { if [ -x /usr/bin/time ]; then /usr/bin/time -f '%e s wall, %M KB peak' "$@"; else local s=$(date +%s.%N); "$@"; echo "$(echo "$(date +%s.%N) - $s" | bc) s wall"; fi; }

for n in "${sizes[@]}"; do
  dir="$out/fleet-$n"; mkdir -p "$dir"
  cp "$root/Pulumi.yaml" "$root/Pulumi.prod.yaml" "$dir/"
  "$cli" inventory generate --cwd "$dir" --stack prod --stores "$n" --seed 7 >/dev/null
  "$cli" rings assign --cwd "$dir" --stack prod >/dev/null
  "$cli" up --cwd "$dir" --stack prod --all-rings --yes >/dev/null
  "$cli" config set --cwd "$dir" --stack prod --path apps.pos-app.version 9.9.9 >/dev/null
  echo "== $n stores"
  echo -n "preview (release bump, all rings): "; timer "$cli" preview --cwd "$dir" --stack prod >/dev/null
  "$cli" up --cwd "$dir" --stack prod --all-rings --yes >/dev/null
  before=$(git -C "$dir/.edgeinfra/fleet.git" rev-list --count main)
  echo -n "no-op up (all rings): "; timer "$cli" up --cwd "$dir" --stack prod --all-rings --yes >/dev/null
  after=$(git -C "$dir/.edgeinfra/fleet.git" rev-list --count main)
  echo "commits made by no-op up: $((after - before))"
done
