#!/bin/sh
# Power-cycles the 5G modem through a GPIO that switches its supply (docs/protocols/modem.md §Recovery).
#   modem-power-cycle.sh VALUE_FILE [OFF_SECONDS]
# VALUE_FILE is a sysfs GPIO value file (/sys/class/gpio/gpioN/value, exported as an output,
# 1 = powered) on a real pole, or the simulated modem's power file in `smartpole sim`.
# The runtime runs this as devices.modem.powerCycleCommand and waits for the AT port to return.
# With libgpiod instead of sysfs, use e.g.:
#   gpioset --mode=time --sec=3 gpiochip0 17=0
set -eu
file="${1:?usage: modem-power-cycle.sh VALUE_FILE [OFF_SECONDS]}"
off="${2:-3}"
echo 0 > "$file"
sleep "$off"
echo 1 > "$file"
echo "modem power cycled via $file (${off}s off)"
