#!/bin/sh
# Stops with a clear message when Node.js is missing or older than the version the project needs.
set -eu
need=20
if ! command -v node >/dev/null 2>&1; then
  echo "Hall Monitor needs Node.js $need or later, and node is not installed." >&2
  echo "On Debian 13 or Raspberry Pi OS (trixie): sudo apt-get install nodejs npm" >&2
  echo "On Debian 12: install Node.js $need from nodejs.org or NodeSource, then run this again." >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt "$need" ]; then
  echo "Hall Monitor needs Node.js $need or later; this machine has $(node --version)." >&2
  echo "Install Node.js $need or later (nodejs.org, NodeSource, or Debian 13's nodejs package)." >&2
  exit 1
fi
