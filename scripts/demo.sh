#!/usr/bin/env bash
# Builds a demo bundle from Debian's busybox-static (no download) and runs
# it with berth: the container shows its own hostname, that its shell is
# PID 1, and that its network namespace holds only the loopback device.
set -eu
berth=${1:?usage: demo.sh PATH-TO-BERTH}
top=$(cd "$(dirname "$0")/.." && pwd)
bundle=$top/build/demo-bundle
rm -rf "$bundle"
mkdir -p "$bundle/rootfs"/{bin,proc,sys,dev,tmp,etc}
cp /bin/busybox "$bundle/rootfs/bin/busybox"
for a in sh echo hostname ip cat ps ls id uname cut; do ln -s busybox "$bundle/rootfs/bin/$a"; done
echo "root:x:0:0:root:/root:/bin/sh" >"$bundle/rootfs/etc/passwd"
(cd "$bundle" && "$berth" spec)
script='echo "hostname: $(hostname)"; echo "my pid: $$"; echo "processes:"; ps; echo "network devices:"; ip -o link | cut -d" " -f2'
jq --arg s "$script" '.process.terminal = false | .hostname = "berth-demo" | .process.args = ["/bin/sh", "-c", $s]' \
	"$bundle/config.json" >"$bundle/config.json.new"
mv "$bundle/config.json.new" "$bundle/config.json"
echo "+ berth run --bundle $bundle berth-demo-$$"
exec "$berth" --root "$top/build/demo-state" run --bundle "$bundle" "berth-demo-$$"
