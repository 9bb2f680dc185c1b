#!/usr/bin/env bash
# Reproduces the numbers in docs/benchmarks.md:   ./bench/run.sh [sizes...]   (default: 2500 10000 50000)
# For each size: a fresh project dir with the prod stack and a generated inventory (rings assigned), a first
# `up --all-rings` to lay down state and the fleet repo, then
#   1. bump pos-app's release across all rings and time `preview` (process start included, peak RSS), then once more
#      with the Fleet schema cache removed (every rendered file validated against Fleet's schemas),
#   2. apply it, then time a no-op `up --all-rings` and count the commits it made (must be 0),
#   3. change one store's site override and `up` that store's ring: commits made and files touched.
# Finally the per-store rendering is compared with `kubectl kustomize` on one base + per-store overlays.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(2500 10000 50000)
out=$(mktemp -d /tmp/edgeinfra-bench.XXXX)
# Published the way the tool ships: ReadyToRun, so start-up is not spent JIT-compiling YAML and JSON parsers.
dotnet publish "$root/infra/EdgeInfra.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$out/cli" --nologo -v quiet >/dev/null
cli="$out/cli/edgeinfra"
measure() { /usr/bin/time -f '%e s wall, %M KB peak RSS' "$@" 2>&1 >/dev/null | tail -1; }
# The prod stack warns that its registry mirror secrets are not set; that is expected here.

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(dotnet --version) SDK"
for n in "${sizes[@]}"; do
  dir="$out/fleet-$n"; mkdir -p "$dir"
  cp "$root/Pulumi.yaml" "$root/Pulumi.prod.yaml" "$dir/"
  mkdir -p "$dir/stacks" && cp -r "$root/stacks/apps" "$dir/stacks/"
  "$cli" inventory generate --cwd "$dir" --stack prod --stores "$n" --seed 7 >/dev/null
  "$cli" rings assign --cwd "$dir" --stack prod >/dev/null
  # The prod stack pushes to the company's Git server; the benchmark pushes to a local bare repo instead.
  "$cli" config set --cwd "$dir" --stack prod --path fleetRepo.url .edgeinfra/fleet.git >/dev/null
  first=$(measure "$cli" up --cwd "$dir" --stack prod --all-rings --yes)
  repo="$dir/.edgeinfra/fleet.git"
  echo "== $n stores ($(find "$dir/.edgeinfra/.pulumi/stacks" -name '*.json' -printf '%s\n' | awk '{s+=$1} END {printf "%.1f MB", s/1048576}') of checkpoints)"
  echo "first up --all-rings (creates everything):      $first"
  "$cli" config set --cwd "$dir" --stack prod --path apps.pos-app.version 9.9.9 >/dev/null
  rm -rf "$dir/.edgeinfra/cache/inventory"
  echo "preview, release bumped, inventory parsed:      $(measure "$cli" preview --cwd "$dir" --stack prod)"
  echo "preview, release bumped, inventory cached:      $(measure "$cli" preview --cwd "$dir" --stack prod)"
  # Every rendered file validated against Fleet's schemas again (a first run, or new schemas after a Fleet upgrade).
  rm -rf "$dir/.edgeinfra/cache/fleet-schema"
  echo "preview, same, Fleet schema cache cold:         $(measure "$cli" preview --cwd "$dir" --stack prod)"
  "$cli" up --cwd "$dir" --stack prod --all-rings --yes >/dev/null 2>&1
  before=$(git -C "$repo" rev-list --count main)
  echo "no-op up --all-rings:                           $(measure "$cli" up --cwd "$dir" --stack prod --all-rings --yes)"
  echo "  commits made by the no-op up:                 $(( $(git -C "$repo" rev-list --count main) - before ))"
  site=$(grep -m1 -o 'store-[a-z]*-[0-9]*' "$dir/stacks/prod/stores.yaml")
  ring=$(awk -v id="$site" '$0 ~ "id: "id"$" {f=1} f && /rollout-ring:/ {print $2; exit}' "$dir/stacks/prod/stores.yaml")
  cat >> "$dir/Pulumi.prod.yaml" <<YAML
    - name: bench-site-override
      app: pos-app
      scope: site
      match: $site
      values: {logLevel: debug}
      owner: bench@example.com
YAML
  before=$(git -C "$repo" rev-list --count main)
  echo "up --ring $ring after one site override ($site): $(measure "$cli" up --cwd "$dir" --stack prod --ring "$ring" --yes)"
  echo "  commits made: $(( $(git -C "$repo" rev-list --count main) - before )); files touched: $(git -C "$repo" diff --name-only main~1 main | tr '\n' ' ')"
done

# kubectl kustomize, one base (the store-baseline manifests) and one overlay per store that sets its labels: the way
# a kustomize-per-store repo renders. We time 20 overlays and report the mean per store.
if command -v kubectl >/dev/null; then
  k="$out/kustomize"; mkdir -p "$k/base"
  cp "$root"/stacks/apps/store-baseline/*.yaml "$k/base/"
  (cd "$k/base" && printf 'resources:\n%s\n' "$(ls *.yaml | sed 's/^/  - /')" > kustomization.yaml)
  for i in $(seq -w 1 20); do
    mkdir -p "$k/store-$i"
    printf 'resources:\n  - ../base\nlabels:\n  - pairs: {site-id: s%s, region: central-europe, rollout-ring: early}\n' "$i" > "$k/store-$i/kustomization.yaml"
  done
  start=$(date +%s.%N)
  for i in $(seq -w 1 20); do kubectl kustomize "$k/store-$i" >/dev/null; done
  end=$(date +%s.%N)
  echo "== kubectl kustomize ($(kubectl version --client 2>/dev/null | grep -i kustomize)): $(echo "($end - $start) / 20" | bc -l | cut -c1-5) s per store overlay"
fi
