#!/bin/sh
# Installs the Debian packages Hall Monitor needs, for a profile: `run` (capture) or `test` (CI).
#
# Usage: sh scripts/install-system-packages.sh run|test
# Idempotent: asks dpkg which packages are missing and installs only those (apt-get update runs
# once, and only when something is missing). As root it installs; otherwise it prints the sudo
# command to run and exits non-zero. HALL_MONITOR_APT_UPDATED=1 skips apt-get update when the
# caller (.ci/run) has just run it.
set -eu

usage() {
  echo "usage: sh scripts/install-system-packages.sh run|test" >&2
  exit 2
}

[ "$#" -eq 1 ] || usage
profile="$1"

# run: libpcap-dev for the `pcap` npm addon; build-essential and python3 for node-gyp.
run_packages="libpcap-dev build-essential python3"
# test: real peers and inspectors for the live capture test, plus the report's PDF tooling.
test_packages="tcpdump tshark dnsutils dnsmasq-base openssl curl iproute2 ethtool chromium poppler-utils"

case "$profile" in
  run) wanted="$run_packages" ;;
  test) wanted="$run_packages $test_packages" ;;
  *) usage ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-system-packages: dpkg-query not found; this script is for Debian and Raspberry Pi OS." >&2
  echo "Install these packages with your system's package manager: $wanted" >&2
  exit 1
fi

missing=""
for package in $wanted; do
  # "install ok installed" only; "deinstall ok config-files" (removed, config kept) is missing.
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  if [ "$status" != "install ok installed" ]; then
    missing="${missing:+$missing }$package"
  fi
done

if [ -z "$missing" ]; then
  echo "install-system-packages: all $profile packages are installed."
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-system-packages: these Debian packages are missing: $missing" >&2
  echo "Install them, then run this again:" >&2
  echo "sudo apt-get install $missing" >&2
  exit 1
fi

echo "install-system-packages: installing $missing"
DEBIAN_FRONTEND=noninteractive
export DEBIAN_FRONTEND

case " $missing " in
  *" tshark "*)
    # Answer tshark's only question up front (no setuid dumpcap), so the install never prompts.
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
    ;;
esac

# DPkg::Lock::Timeout waits for another apt (unattended-upgrades on a fresh Pi) instead of failing.
if [ "${HALL_MONITOR_APT_UPDATED:-}" != "1" ]; then
  apt-get -o DPkg::Lock::Timeout=300 update
fi
# Recommends are left out: chromium's alone would pull in a desktop's worth of packages.
# shellcheck disable=SC2086 # $missing is a space-separated list of package names
apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends $missing
