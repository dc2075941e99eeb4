#!/usr/bin/env bash
# Installs the Debian packages berth needs to build, test and benchmark.
# Usage: scripts/deps.sh [engines|musl]
#   (none)   what `make` needs to build and the berth-only tests need (the
#            Makefile runs it once, before the first compile: build/.deps-stamp)
#   musl     musl-gcc and what building json-c and libseccomp from Debian's
#            sources takes (scripts/musl-libs.sh runs it; if it fails, berth
#            is linked with glibc instead)
#   engines  the engines that tests/integration/50_*.sh ... 53_*.sh drive:
#            containerd, podman, Docker, and Python gRPC + protoc for the CRI
#            client (`make check` runs it once: build/.deps-engines-stamp)
# BERTH_DEPS_EXTRA adds packages to either set. Idempotent: packages already
# present are skipped without touching apt. On failure the last line on
# stderr says why.
set -eu
case "${1:-}" in
"") pkgs="gcc make pkg-config libjson-c-dev libseccomp-dev busybox-static jq iproute2 util-linux" ;;
musl) pkgs="musl-tools cmake gperf dpkg-dev" ;;
engines) pkgs="containerd podman docker.io python3-grpcio python3-protobuf protobuf-compiler procps containernetworking-plugins" ;;
*) echo "usage: $0 [engines|musl]" >&2; exit 2 ;;
esac
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
apt-get update -qq || {
	echo "deps: apt-get update failed (no package mirror reachable?)" >&2
	exit 1
}
apt-get install -y -qq $missing >/dev/null || {
	echo "deps: apt-get install$missing failed" >&2
	exit 1
}
