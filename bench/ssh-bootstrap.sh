#!/usr/bin/env bash
# Reproduces the SSH bootstrap numbers in docs/benchmarks.md:   ./bench/ssh-bootstrap.sh [stores] [concurrency]
# (default 50 stores, concurrency 16; root on Debian with openssh-server, as ./test.sh installs it; EDGEINFRA_CLI=path
# skips the publish and uses that edgeinfra build).
# Starts one real sshd per store device, each in its own mount namespace (as tests/EdgeInfra.Tests/Fixtures/
# SshDeviceFixture.cs does: overlays over /etc and /var/lib, tmpfs over /usr/local/bin and /root, stand-in k3s,
# install.sh and systemctl, Debian's stock root .bashrc), then times with EDGEINFRA_TIMINGS=1 the apply or refresh phase
# of the ring stack (the SSH work; process start-up and the fleet-repo commit excluded) and the whole process:
#   1. a first `up` of ONE store (bootstrap from bare),
#   2. a first `up` of all N stores with the given concurrency (budget: within 20 % of ceil(N/concurrency) x (1)),
#   3. a no-op `up` over the N bootstrapped stores (plan only: `up` compares config with state, touches no device),
#   4. `refresh` over the N stores: every device probed over SSH, drift read back (budget: <= 5 s).
# For each step it also prints the provider's SSH summary (operations, peak in flight, per kind of operation) and the
# CPU time used by edgeinfra and by all the devices' sshd (with their shells), which share the machine's cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-50}; conc=${2:-16}
out=$(mktemp -d /tmp/edgeinfra-sshbench.XXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$out"; }
trap cleanup EXIT
if [ -n "${EDGEINFRA_CLI:-}" ]; then cli=$EDGEINFRA_CLI; else
  dotnet publish "$root/infra/EdgeInfra.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$out/cli" --nologo -v quiet >/dev/null
  cli="$out/cli/edgeinfra"
fi
export EDGEINFRA_CONFIG_PASSPHRASE=bench-passphrase EDGEINFRA_TIMINGS=1
mkdir -p /run/sshd "$out/artifacts"
ssh-keygen -q -t ed25519 -N '' -f "$out/client_key"
version=v1.34.2+k3s1
printf '#!/bin/sh\nif [ "$1" = --version ]; then echo "k3s version %s (98262b5d)"; exit 0; fi\nmkdir -p /var/lib/edgeinfra-standin; echo "k3s $*" >> /var/lib/edgeinfra-standin/calls.log\n' "$version" > "$out/artifacts/k3s"
printf '#!/bin/sh\n[ -x /usr/local/bin/k3s ] || exit 1\nmkdir -p /var/lib/edgeinfra-standin; echo install.sh >> /var/lib/edgeinfra-standin/calls.log\n' > "$out/artifacts/install.sh"
printf '#!/bin/sh\nmkdir -p /var/lib/edgeinfra-standin; echo "systemctl $*" >> /var/lib/edgeinfra-standin/calls.log\n' > "$out/systemctl"
chmod +x "$out/artifacts/k3s" "$out/artifacts/install.sh" "$out/systemctl"

ports=()
for i in $(seq 1 "$n"); do
  d="$out/dev$i"; mkdir -p "$d/ns"; cp "$out/client_key.pub" "$d/authorized_keys"
  ssh-keygen -q -t ed25519 -N '' -f "$d/host_key"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  ports+=("$port")
  cat > "$d/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $d/host_key
AuthorizedKeysFile $d/authorized_keys
PasswordAuthentication no
PermitRootLogin prohibit-password
PidFile $d/sshd.pid
StrictModes no
UsePAM no
MaxSessions 32
MaxStartups 100:30:200
EOF
  unshare -m --propagation private /bin/sh -c "set -e
    mount -t tmpfs tmpfs '$d/ns'; mkdir -p '$d/ns/eu' '$d/ns/ew' '$d/ns/lu' '$d/ns/lw'
    mount -t overlay overlay -o 'lowerdir=/etc,upperdir=$d/ns/eu,workdir=$d/ns/ew' /etc
    mount -t overlay overlay -o 'lowerdir=/var/lib,upperdir=$d/ns/lu,workdir=$d/ns/lw' /var/lib
    mount -t tmpfs tmpfs /usr/local/bin; cp '$out/systemctl' /usr/local/bin/systemctl
    mount -t tmpfs tmpfs /root; cp /usr/share/base-files/dot.bashrc /root/.bashrc; cp /usr/share/base-files/dot.profile /root/.profile
    exec /usr/sbin/sshd -D -e -f '$d/sshd_config'" 2>"$d/sshd.log" &
  pids+=($!)
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
done

# A project of stores $2..$2+$1-1 (those devices), named $3, with its own empty state; registries auth and Fleet
# registration as secrets.
project() {
  local dir="$out/project-$3" last=$(($2 + $1 - 1)); mkdir -p "$dir/stacks/edge"; cp "$root/Pulumi.yaml" "$dir/"
  { echo "stores:"; for i in $(seq "$2" "$last"); do cat <<EOF
  - id: store-$i
    labels: {site-id: s$i, region: central-europe, country: hu, rollout-ring: canary, store-format: supermarket,
             traffic-tier: high, network-tier: fiber, hardware-class: edge-medium, maintenance-window: "02-05",
             registry-zone: eu-central, timezone: Europe.Budapest}
EOF
  done; } > "$dir/stacks/edge/stores.yaml"
  { cat <<EOF
config:
  edge-infra:fleet: {repoUrl: http://git.example.test/fleet.git, k3sVersion: "$version"}
  edge-infra:rings: [{name: canary, maxUnavailable: "1"}]
  edge-infra:registryZones:
    eu-central: {mirror: "https://mirror-eu.example.test:5000", upstreams: [registry.example.com], authKey: mirrorAuth}
  edge-infra:bootstrap:
    privateKeyKey: sshKey
    concurrency: $conc
    k3s: {install: airgap, artifacts: $out/artifacts, disable: [traefik]}
    fleetAgent: {registrationKey: fleetRegistration}
    devices:
EOF
  for i in $(seq "$2" "$last"); do echo "      store-$i: {address: 127.0.0.1, port: ${ports[$((i-1))]}}"; done; } > "$dir/Pulumi.edge.yaml"
  "$cli" config set --cwd "$dir" --stack edge --secret sshKey "$(cat "$out/client_key")" >/dev/null
  "$cli" config set --cwd "$dir" --stack edge --secret mirrorAuth bench:pull-secret >/dev/null
  "$cli" config set --cwd "$dir" --stack edge --secret fleetRegistration \
    "$(printf 'apiServerURL: https://hub.example.test:6443\napiServerCA: ""\ntoken: bench-token\n')" >/dev/null
  echo "$dir"
}
# Prints "<apply phase ms> ms apply, <whole process> s wall" for one verb.
# CPU ticks used so far by every device's sshd and what it ran (reaped children included).
devices_cpu() { local t=0 f; for p in "${pids[@]}"; do read -r -a f < "/proc/$p/stat"; t=$((t + f[13] + f[14] + f[15] + f[16])); done; echo "$t"; }
tick=$(getconf CLK_TCK)
# Prints "<phase> ms phase, <wall> s wall, CPU: edgeinfra <s>, devices <s>" for one verb, then its SSH summary
# (indented); leaves the phase in milliseconds in $out/phase_ms.
timed() {
  local log times c0 c1; log=$(mktemp); times=$(mktemp); c0=$(devices_cpu)
  { TIMEFORMAT='%R %U %S'; time "$cli" "$@" >/dev/null 2>"$log"; } 2>"$times" || { cat "$log" >&2; return 1; }
  c1=$(devices_cpu)
  phase_ms=$(grep -Eo "timing: (apply|refresh) edge.canary: [0-9]+ ms" "$log" | grep -Eo '[0-9]+' || echo 0)
  echo "$phase_ms" > "$out/phase_ms"
  read -r wall user sys < "$times"
  echo "$([ "$phase_ms" = 0 ] && echo 'no' || echo "$phase_ms ms") phase, $wall s wall, CPU: edgeinfra $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}') s, devices $(awk -v t=$((c1 - c0)) -v k="$tick" 'BEGIN {printf "%.2f", t / k}') s"
  grep -E '^ssh: ' "$log" | grep -v 'thread pool' | sed 's/^/      /' || true
  rm -f "$log" "$times"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg), $(dotnet --version) SDK, $(/usr/sbin/sshd -V 2>&1 | head -1 | cut -d, -f1); $n sshd devices"
# Each measured first up runs 3 times, each in a project of its own (empty state), and the median counts: the single
# store on devices 1, 2 and 3 while they are still bare; all N stores three times over the same devices (a first up
# for that project's state: every file is written, K3s installed and restarted again, the same work on the device).
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
singles=(); manys=()
for k in 1 2 3; do
  dir=$(project 1 "$k" "one-$k")
  echo "first up, 1 store (store-$k):           $(timed up --cwd "$dir" --stack edge --ring canary --yes)"; singles+=("$(cat "$out/phase_ms")")
done
for k in 1 2 3; do
  all=$(project "$n" 1 "all-$k")
  echo "first up, $n stores, concurrency $conc (run $k): $(timed up --cwd "$all" --stack edge --ring canary --yes)"; manys+=("$(cat "$out/phase_ms")")
done
single=$(median "${singles[@]}"); many=$(median "${manys[@]}"); batches=$(( (n + conc - 1) / conc ))
awk -v s="$single" -v m="$many" -v b="$batches" -v n="$n" 'BEGIN {printf "medians: 1 store %d ms, %d stores %d ms; ratio to ceil(N/concurrency) x single = %d x %d ms: %.2f (budget <= 1.20)\n", s, n, m, b, s, m / (b * s)}'
echo "no-op up, $n stores (plan only):        $(timed up --cwd "$all" --stack edge --ring canary --yes)"
for k in 1 2 3; do
  echo "refresh, $n stores (probes every device), run $k: $(timed refresh --cwd "$all" --stack edge --ring canary)"
done
restarts=$(for i in $(seq 1 "$n"); do nsenter -t "${pids[$((i-1))]}" -m -- cat /var/lib/edgeinfra-standin/calls.log 2>/dev/null; done | grep -c 'systemctl restart k3s')
echo "k3s restarts recorded on the devices: $restarts (3 per device from the three N-store runs, +1 on stores 1-3 from the single-store runs; none from the no-op up or refresh)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
