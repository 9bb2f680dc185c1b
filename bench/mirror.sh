#!/usr/bin/env bash
# Reproduces the mirror-warm numbers in docs/benchmarks.md:   ./bench/mirror.sh [layers] [MiB per layer]   (default 8 16)
# Starts three Debian docker-registry instances on loopback (an upstream and two mirrors), pushes one OCI image of
# <layers> random layers, points the lab stack's four registry zones (two per mirror) and the upstream map at them,
# then times `mirror warm --ring retail-region-1` cold with --parallel 1 and 8 (a fresh repository each, so nothing is
# present) and again with everything present (HEAD only). "copy phase" is the warm's own clock (JSON `seconds`);
# "wall" includes process start and loading the 500-store lab inventory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
layers=${1:-8}; mib=${2:-16}
out=$(mktemp -d /tmp/edgeinfra-mirror-bench.XXXX)
# start_registry runs in a command substitution (a subshell), so pids go to a file the trap reads.
cleanup() { [ -f "$out/pids" ] && while read -r p; do kill "$p" 2>/dev/null || true; done < "$out/pids"; rm -rf "$out"; }
trap cleanup EXIT
dotnet publish "$root/infra/EdgeInfra.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$out/cli" --nologo -v quiet >/dev/null
cli="$out/cli/edgeinfra"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_registry() { # name -> prints URL
  local dir="$out/$1" port; port=$(free_port); mkdir -p "$dir"
  printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: 127.0.0.1:%s, secret: bench}\n' \
    "$dir/data" "$port" > "$dir/reg.yml"
  docker-registry serve "$dir/reg.yml" >"$dir/log" 2>&1 & echo $! >> "$out/pids"
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
  echo "http://127.0.0.1:$port"
}
push_blob() { # registry repo file -> prints digest
  local digest loc; digest="sha256:$(sha256sum "$3" | cut -d' ' -f1)"
  loc=$(curl -sf -X POST -D - -o /dev/null "$1/v2/$2/blobs/uploads/" | tr -d '\r' | awk -F': ' 'tolower($1)=="location" {print $2}')
  case "$loc" in http*) ;; *) loc="$1$loc" ;; esac
  curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$3" "$loc&digest=$digest" -o /dev/null
  echo "$digest"
}
push_image() { # registry repo tag
  local descs="" d
  for i in $(seq "$layers"); do
    head -c $((mib * 1048576)) /dev/urandom > "$out/layer$i"
    d=$(push_blob "$1" "$2" "$out/layer$i")
    descs+="${descs:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"$d\",\"size\":$((mib * 1048576))}"
  done
  printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' > "$out/config"
  d=$(push_blob "$1" "$2" "$out/config")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[%s]}' \
    "$d" "$(stat -c %s "$out/config")" "$descs" > "$out/manifest"
  curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$out/manifest" "$1/v2/$2/manifests/$3" -o /dev/null
}

upstream=$(start_registry upstream); mirror_a=$(start_registry mirror-a); mirror_b=$(start_registry mirror-b)
proj="$out/project"; mkdir -p "$proj/stacks"
cp "$root/Pulumi.yaml" "$root/Pulumi.lab.yaml" "$proj/"; cp -r "$root/stacks/apps" "$root/stacks/lab" "$proj/stacks/"
set_cfg() { "$cli" config set --cwd "$proj" --stack lab --path "$@" >/dev/null; }
set_cfg 'registries["registry.example.com"]' "$upstream"
for z in eu-central eu-west; do set_cfg "registryZones.$z.mirror" "$mirror_a"; done
for z in eu-north na-east; do set_cfg "registryZones.$z.mirror" "$mirror_b"; done
# Zones sharing a mirror share one copy (the JSON repeats it per zone): count each mirror repository once.
summary='import json,sys
c=json.load(sys.stdin)["copies"]
u={x["mirror"]: x for x in c}.values()
print("%d blobs copied, %.0f MiB into %d mirror repositories, %d/%d zones already served" % (sum(x["blobsCopied"] for x in u),
      sum(x["bytesCopied"] for x in u)/1048576, len(u), sum(1 for x in c if x["alreadyPresent"]), len(c)))'
warm() { # label, args...
  local label=$1; shift
  local start end json
  start=$(date +%s.%N)
  json=$("$cli" mirror warm --cwd "$proj" --stack lab --ring retail-region-1 --json "$@")
  end=$(date +%s.%N)
  printf '%-44s copy phase %6.2f s, wall %6.2f s, %s\n' "$label" \
    "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])' <<<"$json")" "$(echo "$end - $start" | bc)" \
    "$(python3 -c "$summary" <<<"$json")"
}
echo "machine: $(nproc) cores, $(dotnet --version) SDK; image: $layers layers x $mib MiB + config; 4 zones on 2 mirrors"
for p in 1 8; do
  repo="edge/bench-p$p"
  push_image "$upstream" "$repo" 1.0.0
  set_cfg apps.pos-app.image "registry.example.com/$repo"; set_cfg apps.pos-app.version 1.0.0
  warm "cold warm, --parallel $p:" --parallel "$p"
done
warm "second warm (everything present, HEAD only):"
