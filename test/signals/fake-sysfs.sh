#!/bin/sh
# Test helper: runs a command over a fake Raspberry Pi 4 /sys/class/gpio (header chip at base 512).
#
# Run inside a private mount namespace as root: unshare -m --propagation private sh fake-sysfs.sh CMD...
# Prints the command's output, then each sample as `sample tsMs gpioN field VALUE`, then
# `left gpioN` for every line still exported at the end.
set -eu
here=$(dirname "$0")
mount -t tmpfs -o size=1m,mode=755 hall-monitor-test /sys/class
gpio=/sys/class/gpio
chip() {
  mkdir -p "$gpio/$1"
  printf '%s\n' "$2" >"$gpio/$1/base"
  printf '%s\n' "$3" >"$gpio/$1/label"
  printf '%s\n' "$4" >"$gpio/$1/ngpio"
}
chip gpiochip512 512 pinctrl-bcm2711 58
chip gpiochip570 570 raspberrypi-exp-gpio 8
mkfifo "$gpio/export" "$gpio/unexport"
: >/sys/class/samples
node "$here/fake-sysfs.mjs" "$gpio" /sys/class/samples /sys/class/ready &
helper=$!
trap 'kill "$helper" 2>/dev/null || true' EXIT
tries=0
while [ ! -e /sys/class/ready ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 500 ]; then
    echo 'fake-sysfs.mjs did not start' >&2
    exit 1
  fi
  sleep 0.01
done
status=0
# Should the helper die, a write to its FIFOs would wait for ever: the command is given 25 s.
timeout 25 "$@" || status=$?
sleep 0.05
kill "$helper"
wait "$helper" 2>/dev/null || true
sed 's/^/sample /' /sys/class/samples
for line in "$gpio"/gpio[0-9]*; do
  if [ -e "$line" ]; then echo "left ${line##*/}"; fi
done
exit "$status"
