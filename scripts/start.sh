#!/bin/sh
# Quick start (`npm start`): installs what is missing, builds, picks the interface and starts the sensor.
#
# The interface is $HALL_MONITOR_CAPTURE_INTERFACE (or capture.interface in the settings file),
# else the one the default route leaves by. Capturing
# needs root or CAP_NET_RAW and CAP_NET_ADMIN on the node binary.
set -eu

cd "$(dirname "$0")/.."

# What runs once everything is ready: the dashboard in the background and the sensor in the
# foreground, sharing the database (DESIGN §3); stopping the sensor (Ctrl-C) stops both. Extra
# arguments go to the sensor, e.g. `npm start -- --duration-s 60`.
start_hall_monitor() {
  interface="$1"
  shift
  node dist/firmware/cli/main.js web &
  web_pid=$!
  trap 'kill "$web_pid" 2>/dev/null; wait "$web_pid" 2>/dev/null' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  node dist/firmware/cli/main.js sensor --interface "$interface" "$@"
}

# capture.interface from the settings file, when it names one.
configured_interface() {
  node dist/firmware/cli/main.js config 2>/dev/null |
    awk -F' = ' '$1 == "capture.interface" && $2 !~ /^auto/ { sub(/ *#.*/, "", $2); print $2 }'
}

# npm ci only when node_modules is missing or older than package-lock.json.
install_node_modules() {
  marker="node_modules/.package-lock.json"
  if [ ! -f "$marker" ] || [ -n "$(find package-lock.json -newer "$marker")" ]; then
    npm ci
  fi
}

default_route_interface() {
  command -v ip >/dev/null 2>&1 || return 0
  ip route show default 2>/dev/null |
    awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }'
}

list_interfaces() {
  names=""
  for path in /sys/class/net/*; do
    [ -e "$path" ] && names="${names:+$names }${path##*/}"
  done
  echo "$names"
}

# True when this process, or the node binary through file capabilities, may capture.
can_capture() {
  [ "$(id -u)" -eq 0 ] && return 0
  # CapEff bit 13 is CAP_NET_RAW (linux/capability.h): set when started by systemd with
  # AmbientCapabilities, say.
  cap_eff="$(awk '/^CapEff:/ { print $2 }' /proc/self/status 2>/dev/null || true)"
  if [ -n "$cap_eff" ] && [ $((0x$cap_eff >> 13 & 1)) -eq 1 ]; then
    return 0
  fi
  if command -v getcap >/dev/null 2>&1; then
    getcap "$(readlink -f "$(command -v node)")" 2>/dev/null | grep -q cap_net_raw
    return
  fi
  return 2 # cannot tell without getcap (libcap2-bin)
}

sh scripts/check-node.sh
sh scripts/install-system-packages.sh run
install_node_modules
npm run build

interface="${HALL_MONITOR_CAPTURE_INTERFACE:-}"
if [ -z "$interface" ]; then
  interface="$(configured_interface)"
fi
if [ -z "$interface" ]; then
  interface="$(default_route_interface)"
fi
if [ -z "$interface" ]; then
  echo "start: no interface to capture on: there is no default route." >&2
  echo "Set the mirror port's interface, for example:" >&2
  echo "  HALL_MONITOR_CAPTURE_INTERFACE=eth0 npm start" >&2
  echo "Interfaces here: $(list_interfaces)" >&2
  exit 1
fi
if [ ! -e "/sys/class/net/$interface" ]; then
  echo "start: interface '$interface' does not exist." >&2
  echo "Interfaces here: $(list_interfaces)" >&2
  exit 1
fi

capture_status=0
can_capture || capture_status=$?
if [ "$capture_status" -ne 0 ]; then
  if [ "$capture_status" -eq 1 ]; then
    echo "start: capturing on $interface needs root or CAP_NET_RAW, and this is not root." >&2
  else
    echo "start: not root, and getcap is missing, so capture may be refused on $interface." >&2
  fi
  echo "Either give node the capture capabilities once:" >&2
  # shellcheck disable=SC2016 # printed for the user to run as is
  echo '  sudo setcap cap_net_raw,cap_net_admin=eip "$(readlink -f "$(command -v node)")"' >&2
  echo "or run: sudo npm start" >&2
  if [ "$capture_status" -eq 1 ]; then
    exit 1
  fi
fi

echo "start: capturing on $interface"
start_hall_monitor "$interface" "$@"
