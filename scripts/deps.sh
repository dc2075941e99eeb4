#!/usr/bin/env bash
# Installs the Debian packages berth needs to build, test and benchmark.
# Idempotent: packages already present are skipped without touching apt.
set -eu
pkgs="gcc make pkg-config libjson-c-dev libseccomp-dev busybox-static jq iproute2 util-linux"
[ "${BERTH_DEPS_EXTRA:-}" ] && pkgs="$pkgs $BERTH_DEPS_EXTRA"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $missing >/dev/null
