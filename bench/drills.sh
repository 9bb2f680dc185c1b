#!/usr/bin/env bash
# Reproduces the drill results in docs/reliability.md:   ./bench/drills.sh [points]   (default: 100)
#   1. up:       `up --all-rings` of the 500-store lab killed with SIGKILL at <points> random moments (one kill per
#                trial), then one more `up`: fleet repo tree, checkpoints and `preview --expect-no-changes` must
#                equal an uninterrupted run.
#   2. rollout:  `rollout` of the lab killed with SIGKILL at <points> random moments (chains of 10 kills, each followed
#                by an audit-chain check), then one more `rollout`: fleet repo tree and rollout outcome must equal an
#                uninterrupted run.
#   3. git:      a real `git daemon` killed (SIGKILL, daemon and receive-pack) in the middle of a push, before and
#                after the branch moved (a reference-transaction hook), then the daemon restarted and `up` rerun.
#   4. disk:     `.edgeinfra/` on a small tmpfs in a private mount namespace (`unshare -m`, root), at sizes from too
#                small for anything to nearly enough: `up` must fail cleanly (exit 1, no crash), then, with room
#                again, the next `up` must finish to the uninterrupted end state.
#   5. the xunit drills (tests/EdgeInfra.Tests/Drills: also Prometheus flapping during a bake, the clock jumping), repeated.
# The seed is fixed (DRILL_SEED, default 20261207) so a failing trial can be rerun alone; DRILLS="git disk" runs some.
set -euo pipefail
root=${DRILL_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
points=${1:-100}
seed=${DRILL_SEED:-20261207}
RANDOM=$seed
out=$(mktemp -d /tmp/edgeinfra-drills.XXXX)
dotnet build "$root/infra/EdgeInfra.Cli" -c Release --nologo -v quiet >/dev/null
# A private copy, so a rebuild while the drills run cannot swap assemblies under them.
cp -a "$root/infra/EdgeInfra.Cli/bin/Release/net10.0" "$out/cli"
cli="$out/cli/edgeinfra"
failures=0
drills=" ${DRILLS:-up rollout git disk xunit} "
want() { [[ "$drills" == *" $1 "* ]]; }
fail() { echo "  FAILED: $*"; failures=$((failures + 1)); }
# Keeps a failed trial's project (state, fleet repo, logs) for a look; the next trial reuses the name.
keep() { [ -d "$1" ] && mv "$1" "$1-failed-$failures"; }

# A fresh copy of the shipped lab project.
template="$out/template"
mkdir -p "$template/stacks"
cp "$root/Pulumi.yaml" "$root/Pulumi.lab.yaml" "$template/"
cp -r "$root/stacks/apps" "$root/stacks/lab" "$template/stacks/"
new_project() { rm -rf "$1"; cp -a "$template" "$1"; }

# What must be equal to an uninterrupted run: the fleet repo's tree and each ring stack's resources, none pending.
tree_of() { git -C "$1" rev-parse 'main^{tree}' 2>/dev/null || echo none; }
checkpoints() {
  for f in "$1"/.edgeinfra/.pulumi/stacks/edge-infra/*.json; do
    echo "$(basename "$f") $(jq -r '.checkpoint.latest | "\(.resources | length) resources, \(.pending_operations | length) pending"' "$f")" \
      "$(jq -r '.checkpoint.latest.resources | map(.urn) | sort | join(",")' "$f" | sha1sum | cut -c1-12)"
  done
}
journals() { find "$1/.edgeinfra/.pulumi" -name '*.journal.jsonl' | wc -l; }
ms() { date +%s%3N; }
# Sleeps a random time in [lo, hi) milliseconds.
random_ms() { echo $(( $1 + (RANDOM * 32768 + RANDOM) % ($2 - $1) )); }
sleep_ms() { sleep "$(awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }')"; }
# Runs a command in the background, SIGKILLs it after $1 ms if still running; prints "killed" or its exit code.
kill_after() {
  local wait=$1; shift
  "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep_ms "$wait"
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; wait "$pid" 2>/dev/null || true; echo killed
  else wait "$pid" && echo 0 || echo $?; fi
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(dotnet --version) SDK, seed $seed, $points points"

# ---------------------------------------------------------------------------------------------------------------- 1
if want up; then
echo "== 1. up --all-rings killed at $points random points"
ref="$out/up-reference"; new_project "$ref"
start=$(ms); "$cli" up --stack lab --all-rings --yes --cwd "$ref" >/dev/null; full=$(( $(ms) - start ))
ref_tree=$(tree_of "$ref/.edgeinfra/fleet.git"); ref_cp=$(checkpoints "$ref")
echo "  uninterrupted: ${full} ms, tree $ref_tree"
ok=0; killed=0; resume_total=0; resume_max=0
for i in $(seq 1 "$points"); do
  dir="$out/up"; new_project "$dir"
  at=$(random_ms 50 "$full")
  r=$(kill_after "$at" "$cli" up --stack lab --all-rings --yes --cwd "$dir")
  [ "$r" = killed ] && killed=$((killed + 1))
  start=$(ms)
  if ! "$cli" up --stack lab --all-rings --yes --cwd "$dir" >"$out/up-resume.log" 2>&1; then
    fail "up trial $i (kill at $at ms): resume exited non-zero: $(tail -3 "$out/up-resume.log")"; keep "$dir"; continue
  fi
  took=$(( $(ms) - start )); resume_total=$((resume_total + took)); [ "$took" -gt "$resume_max" ] && resume_max=$took
  if [ "$(tree_of "$dir/.edgeinfra/fleet.git")" != "$ref_tree" ]; then fail "up trial $i (kill at $at ms): fleet tree differs"; continue; fi
  if [ "$(checkpoints "$dir")" != "$ref_cp" ]; then fail "up trial $i (kill at $at ms): checkpoints differ"; continue; fi
  if [ "$(journals "$dir")" != 0 ]; then fail "up trial $i (kill at $at ms): a journal was left"; continue; fi
  if ! "$cli" preview --stack lab --expect-no-changes --cwd "$dir" >/dev/null 2>&1; then fail "up trial $i (kill at $at ms): preview sees changes"; continue; fi
  ok=$((ok + 1))
done
echo "  $ok/$points resumed to the uninterrupted end state ($killed killed mid-run, the rest had finished); resume mean $((resume_total / (ok > 0 ? ok : 1))) ms, max $resume_max ms"

fi

# ---------------------------------------------------------------------------------------------------------------- 2
if want rollout; then
echo "== 2. rollout killed at $points random points"
ref="$out/rollout-reference"; new_project "$ref"
# The walk's outcome, and its decisions in the hash-chained audit log (each apply, promotion and completion once).
outcome() {
  jq -c '{outcome, release, rings: [.rings[] | {ring, phase}]}' "$1/.edgeinfra/rollout/lab/state.json"
  "$cli" audit --stack lab --json --cwd "$1" | jq -c '[.entries[] | select(.action == "apply" or .action == "promote" or .action == "complete") | "\(.action):\(.ring // "-")"]'
}
start=$(ms); "$cli" rollout --stack lab --cwd "$ref" >/dev/null; full=$(( $(ms) - start ))
ref_tree=$(tree_of "$ref/.edgeinfra/fleet.git"); ref_outcome=$(outcome "$ref")
echo "  uninterrupted: ${full} ms, tree $ref_tree, $(echo $ref_outcome)"
chain=10; chains=$(( (points + chain - 1) / chain )); ok=0; kills=0; torn=0
for c in $(seq 1 "$chains"); do
  dir="$out/rollout"; new_project "$dir"; at_list=""
  for k in $(seq 1 "$chain"); do
    [ $kills -ge "$points" ] && break
    at=$(random_ms 200 $(( full / 3 ))); at_list="$at_list $at"
    r=$(kill_after "$at" "$cli" rollout --stack lab --cwd "$dir")
    kills=$((kills + 1))
    # The audit log is hash-chained: a kill must never leave it torn or unverifiable.
    if ! "$cli" audit --stack lab --json --cwd "$dir" >/dev/null 2>"$out/audit.err"; then torn=$((torn + 1)); fail "rollout chain $c kill $k ($at ms): audit: $(tail -2 "$out/audit.err")"; fi
    [ "$r" = killed ] || break
  done
  if ! "$cli" rollout --stack lab --cwd "$dir" >"$out/rollout-resume.log" 2>&1; then
    fail "rollout chain $c (kills at$at_list ms): resume exited non-zero: $(tail -3 "$out/rollout-resume.log")"; keep "$dir"; continue
  fi
  tree=$(tree_of "$dir/.edgeinfra/fleet.git"); got=$(outcome "$dir")
  if [ "$tree" != "$ref_tree" ]; then fail "rollout chain $c (kills at$at_list ms): fleet tree $tree differs"; keep "$dir"; continue; fi
  if [ "$got" != "$ref_outcome" ]; then fail "rollout chain $c (kills at$at_list ms): outcome $(echo $got)"; keep "$dir"; continue; fi
  ok=$((ok + 1))
done
echo "  $kills kill points in $chains chains: $ok/$chains chains resumed to the uninterrupted end state; audit unreadable after $torn kills"

fi

# ---------------------------------------------------------------------------------------------------------------- 3
if want git; then
echo "== 3. git daemon killed mid-push"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ref="$out/git-reference"; new_project "$ref"
"$cli" up --stack lab --all-rings --yes --cwd "$ref" >/dev/null
ref_tree=$(tree_of "$ref/.edgeinfra/fleet.git")
for phase in prepared committed; do
  for push in 1 2 3 4; do
    srv="$out/git-$phase-$push"; rm -rf "$srv"; mkdir -p "$srv"
    git init -q --bare -b main "$srv/fleet.git"; git -C "$srv/fleet.git" config daemon.receivepack true
    # The hook kills the server (the daemon and this push's receive-pack) at the n-th push, in the given phase.
    cat > "$srv/fleet.git/hooks/reference-transaction" <<HOOK
#!/bin/sh
[ "\$1" = "$phase" ] || exit 0
n=\$(( \$(cat "$srv/pushes" 2>/dev/null || echo 0) + 1 )); echo \$n > "$srv/pushes"
[ \$n = $push ] || exit 0
kill -9 \$(cat "$srv/daemon.pid") \$PPID
HOOK
    chmod +x "$srv/fleet.git/hooks/reference-transaction"
    port=$(free_port)
    start_daemon() {
      git daemon --reuseaddr --base-path="$srv" --export-all --enable=receive-pack --listen=127.0.0.1 --port="$port" \
        --pid-file="$srv/daemon.pid" "$srv" 2>>"$srv/daemon.log" &
      for _ in $(seq 100); do git ls-remote "git://127.0.0.1:$port/fleet.git" >/dev/null 2>&1 && return; sleep 0.1; done
    }
    start_daemon
    dir="$out/git"; new_project "$dir"
    sed -i "s|^config:\$|config:\n  edge-infra:fleetRepo:\n    url: git://127.0.0.1:$port/fleet.git|" "$dir/Pulumi.lab.yaml"
    set +e; "$cli" up --stack lab --all-rings --yes --cwd "$dir" >"$srv/first.log" 2>&1; first=$?; set -e
    daemon_gone=$(kill -0 "$(cat "$srv/daemon.pid")" 2>/dev/null && echo no || echo yes)
    # A receive-pack killed after it locked the branch leaves refs/heads/main.lock: git refuses every later push to
    # the branch until the server's operator removes it (git's recovery, not ours), so the restart does that.
    stale=$(find "$srv/fleet.git" -name '*.lock' | wc -l); find "$srv/fleet.git" -name '*.lock' -delete
    start_daemon
    set +e; "$cli" up --stack lab --all-rings --yes --cwd "$dir" >"$srv/second.log" 2>&1; second=$?; set -e
    git clone -q --bare "git://127.0.0.1:$port/fleet.git" "$srv/inspect.git"
    kill "$(cat "$srv/daemon.pid")" 2>/dev/null || true
    tree=$(tree_of "$srv/inspect.git")
    dup=$(git -C "$srv/inspect.git" log main --format='%(trailers:key=Edge-Stack,valueonly)' 2>/dev/null | grep . | sort | uniq -d | tr '\n' ' ' || true)
    line="kill at push $push, $phase: daemon killed $daemon_gone, first up exit $first, stale ref locks $stale, next up exit $second"
    if [ "$second" != 0 ] || [ "$tree" != "$ref_tree" ] || [ -n "$dup" ]; then
      fail "$line, tree $tree, duplicate stack commits: ${dup:-none}; $(tail -3 "$srv/second.log")"
    else echo "  ok: $line, tree equal, no duplicate commit"; fi
  done
done

fi

# ---------------------------------------------------------------------------------------------------------------- 4
if want disk; then
echo "== 4. disk full while state is written (tmpfs in a private mount namespace)"
if [ "$(id -u)" != 0 ]; then echo "  skipped: needs root for unshare -m"; else
  ref="$out/disk-reference"; new_project "$ref"
  "$cli" up --stack lab --all-rings --yes --cwd "$ref" >/dev/null
  ref_tree=$(tree_of "$ref/.edgeinfra/fleet.git"); ref_cp=$(checkpoints "$ref")
  need_kb=$(du -sk "$ref/.edgeinfra" | cut -f1)
  echo "  .edgeinfra after an uninterrupted up: $need_kb KB"
  ok=0; n=0
  for size in 64 256 512 1024 1536 2048 3072 4096 5120 6144 $(( need_kb - 512 )) $(( need_kb - 128 )); do
    n=$((n + 1)); dir="$out/disk"; new_project "$dir"; mkdir -p "$dir/.edgeinfra" "$dir/saved"
    # Everything happens inside the namespace (the tmpfs vanishes with it); the result is copied out.
    set +e
    unshare -m --propagation private sh -c "
      mount -t tmpfs -o size=${size}k tmpfs '$dir/.edgeinfra' || exit 99
      '$cli' up --stack lab --all-rings --yes --cwd '$dir' >'$dir/full.log' 2>&1; echo \$? > '$dir/full.rc'
      mount -o remount,size=64m '$dir/.edgeinfra'
      '$cli' up --stack lab --all-rings --yes --cwd '$dir' >'$dir/room.log' 2>&1; echo \$? > '$dir/room.rc'
      cp -a '$dir/.edgeinfra/.' '$dir/saved/'"
    set -e
    full_rc=$(cat "$dir/full.rc" 2>/dev/null || echo none); room_rc=$(cat "$dir/room.rc" 2>/dev/null || echo none)
    crash=$(grep -c -E 'Unhandled exception|   at [A-Z][A-Za-z]+\.' "$dir/full.log" || true)
    mv "$dir/.edgeinfra" "$dir/.edgeinfra.mnt" && mv "$dir/saved" "$dir/.edgeinfra"
    line="tmpfs ${size} KB: full run exit $full_rc ($(grep -m1 -o -i 'no space left on device' "$dir/full.log" || echo 'no ENOSPC message')), next run exit $room_rc"
    if [ "$room_rc" != 0 ] || [ "$crash" != 0 ] || { [ "$full_rc" != 0 ] && [ "$full_rc" != 1 ]; } \
       || [ "$(tree_of "$dir/.edgeinfra/fleet.git")" != "$ref_tree" ] || [ "$(checkpoints "$dir")" != "$ref_cp" ] \
       || [ "$(journals "$dir")" != 0 ] || [ -n "$(find "$dir/.edgeinfra/.pulumi" -name '*.tmp')" ]; then
      fail "$line; $(grep -v '^$' "$dir/room.log" | tail -3)"; keep "$dir"
    else ok=$((ok + 1)); echo "  ok: $line"; fi
  done
  echo "  $ok/$n sizes: clean failure, then the next run finished to the uninterrupted end state"
fi

fi

# ---------------------------------------------------------------------------------------------------------------- 5
if want xunit; then
echo "== 5. the xunit drills (git server, disk full, Prometheus flapping during a bake, clock jumps), repeated"
repeat=${DRILL_REPEAT:-5}
dotnet build "$root/tests/EdgeInfra.Tests" -c Release --nologo -v quiet >/dev/null
passed=0
for i in $(seq 1 "$repeat"); do
  if dotnet test "$root/tests/EdgeInfra.Tests" -c Release --no-build --nologo -v quiet --filter "FullyQualifiedName~Drills" >"$out/xunit-$i.log" 2>&1
  then passed=$((passed + 1)); else fail "xunit drills run $i: $(grep -E 'Failed |Error Message' "$out/xunit-$i.log" | head -5)"; fi
done
echo "  $passed/$repeat runs of the xunit drills passed ($(grep -o 'Passed: *[0-9]*' "$out/xunit-1.log" | head -1) tests each)"

fi

echo "== $failures failure(s); work dir $out"
[ "$failures" = 0 ]
