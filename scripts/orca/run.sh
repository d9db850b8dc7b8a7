#!/bin/bash
# Runs Orca on the composer under Xvfb with AT-SPI and writes what it said to OUT/spoken.txt
# (issue 17). Needs the Debian packages orca, at-spi2-core, xvfb and openbox, and dbus-run-session:
#   dbus-run-session -- bash scripts/orca/run.sh OUT
# This machine has no sound card: speech_stand_in.py answers Orca's speech-dispatcher protocol
# (SSIP) and writes down each text instead of speaking it. With the real speech-dispatcher and
# no audio device, Orca waits for it forever and says nothing after the first window.
set -u
out=$(realpath "${1:-/tmp/postwijs-orca}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$out"
python3 "$here/speech_stand_in.py" "$out/ssip.sock" "$out/spoken.txt" &
SPEECH=$!
sleep 1
export SPEECHD_ADDRESS="unix_socket:$out/ssip.sock"
export DISPLAY=:81
Xvfb :81 -screen 0 1280x720x24 >/dev/null 2>&1 &
XPID=$!
sleep 2
openbox >/dev/null 2>&1 &
sleep 1
export QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 QT_ACCESSIBILITY=1 QT_QPA_PLATFORM=xcb NO_AT_BRIDGE=0
/usr/libexec/at-spi-bus-launcher --launch-immediately &
sleep 2
/usr/libexec/at-spi2-registryd &
sleep 1
orca --replace >"$out/orca.out" 2>&1 &
OPID=$!
sleep 15
(cd "$root" && PYTHONPATH="$root" timeout 600 .venv/bin/python "$here/drive_composer.py" >"$out/drive.out" 2>&1)
sleep 30  # Orca may still be reading out the last steps
kill $OPID $XPID $SPEECH
echo "What Orca said: $out/spoken.txt"
