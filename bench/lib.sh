# Shared by the bench scripts: source it, then call the functions.

# prod_fleet CLI ROOT DIR STORES: a copy of the prod stack in DIR with STORES generated stores (seed 7), rings
# assigned and a local fleet repo (.edgeinfra/fleet.git); no hub config, so the lab simulator is its hub.
prod_fleet() {
  local cli=$1 root=$2 dir=$3 n=$4
  mkdir -p "$dir/stacks"
  cp "$root/Pulumi.yaml" "$root/Pulumi.prod.yaml" "$dir/" && cp -r "$root/stacks/apps" "$dir/stacks/"
  "$cli" inventory generate --cwd "$dir" --stack prod --stores "$n" --seed 7 >/dev/null
  "$cli" rings assign --cwd "$dir" --stack prod >/dev/null
  "$cli" config set --cwd "$dir" --stack prod --path fleetRepo.url .edgeinfra/fleet.git >/dev/null
}

# lab_project ROOT DIR: a copy of the shipped lab stack (500 stores, the simulator as its hub) in DIR.
lab_project() {
  mkdir -p "$2/stacks"
  cp "$1/Pulumi.yaml" "$1/Pulumi.lab.yaml" "$2/" && cp -r "$1/stacks/apps" "$1/stacks/lab" "$2/stacks/"
}

# serve CLI LOGDIR DIR STACK: starts `edgeinfra serve` on a free loopback port (no token: loopback only) in the
# background; sets url and pid once it listens.
serve() {
  local cli=$1 log="$2/serve-$4.log"
  rm -f "$log"   # a previous run's log would name its URL before this one writes
  "$cli" serve --stack "$4" --listen 127.0.0.1:0 --cwd "$3" > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    url=$(grep -so 'http://[0-9.:]*' "$log" | head -1 || true)
    [ -n "$url" ] && return 0
    sleep 0.1
  done
  echo "serve did not start:"; cat "$log"; exit 1
}
