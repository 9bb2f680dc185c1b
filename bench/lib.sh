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
