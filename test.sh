#!/usr/bin/env bash
# Runs every EdgeInfra test: unit, golden, schema validation and integration tests against real servers on loopback.
# Installs the Debian packages the integration tests need when they are missing (root on Debian; see README.md).
set -euo pipefail
cd "$(dirname "$0")"

need_packages=()
[ -x /usr/lib/git-core/git-daemon ] || need_packages+=(git)
command -v prometheus >/dev/null || need_packages+=(prometheus)
command -v docker-registry >/dev/null || need_packages+=(docker-registry)
[ -x /usr/sbin/sshd ] || need_packages+=(openssh-server)
# The dashboard's browser tests drive Debian's chromium through Playwright (never a downloaded browser).
[ -x /usr/bin/chromium ] || need_packages+=(chromium)
# The compliance report's PDF is printed by chromium; its test reads the pages back with poppler's pdfinfo and pdftotext.
command -v pdftotext >/dev/null || need_packages+=(poppler-utils)
if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing test servers: ${need_packages[*]}"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_packages[@]}" >/dev/null
  else
    echo "Missing Debian packages for integration tests: ${need_packages[*]} (install them as root)" >&2
    [ "${CI:-}" = true ] && exit 1
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test EdgeInfra.sln -c Release --nologo -v quiet --logger "console;verbosity=minimal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain closing line, summed over test assemblies.
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
     END { gsub(",", "", p); printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
