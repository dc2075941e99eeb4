#!/usr/bin/env bash
# Picks the C library berth is linked with and writes the choice to OUT
# (build/config.mk, which the Makefile includes). musl is preferred: a static
# glibc binary spends ~0.4 ms of every invocation in start-up probes (cpuid
# traps to the hypervisor on VMs), a static musl one ~0.1 ms, and berth is
# invoked several times per container. musl needs json-c and libseccomp built
# for it; they are built here from Debian's own source packages, the versions
# of the installed libjson-c-dev and libseccomp-dev with Debian's patches
# (libseccomp's newer syscall table among them), into build/musl/.
# Anything missing (musl-gcc, a deb-src mirror, a failed build) falls back to
# glibc, with the reason in OUT and on stderr: the build never fails here.
# Usage: scripts/musl-libs.sh OUT   (LIBC=glibc in the environment skips musl)
set -u
out=${1:?usage: musl-libs.sh OUT}
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/build/musl
log=$dir/build.log

use_glibc() {
	echo "musl-libs: linking with glibc: $1 (log: build/musl/build.log)" >&2
	printf '# written by scripts/musl-libs.sh\nLIBC := glibc\nLIBC_WHY := %s\n' "$1" >"$out"
	exit 0
}

mkdir -p "$dir"
: >"$log"
[ "${LIBC:-}" = glibc ] && use_glibc "LIBC=glibc asked for"
BERTH_DEPS_EXTRA= bash "$top/scripts/deps.sh" musl >>"$log" 2>&1 ||
	use_glibc "$(tail -n 1 "$log" | sed 's/^deps: //')"
for t in musl-gcc cmake gperf dpkg-source apt-get; do
	command -v "$t" >/dev/null || use_glibc "$t not installed"
done

# The kernel's uapi headers, without glibc's headers beside them.
kinc=$dir/kinclude
mkdir -p "$kinc"
ln -sfn /usr/include/linux "$kinc/linux"
ln -sfn /usr/include/asm-generic "$kinc/asm-generic"
ln -sfn "/usr/include/$(gcc -print-multiarch)/asm" "$kinc/asm"

prefix=$dir/prefix
# Source package, version and the library each one builds.
want=""
for dev in libjson-c-dev libseccomp-dev; do
	v=$(dpkg-query -W -f='${source:Package}=${source:Version}' "$dev" 2>/dev/null) || use_glibc "$dev not installed"
	want="$want $v"
done
stamp=$dir/.built
# Bumped when the build recipe below changes, so that it rebuilds.
recipe="recipe=2"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want $recipe" ] &&
	[ -f "$prefix/lib/libjson-c.a" ] && [ -f "$prefix/lib/libseccomp.a" ]; then
	:
else
	rm -rf "$dir/src" "$prefix" "$stamp"
	mkdir -p "$dir/src" "$dir/apt/lists/partial" "$dir/apt/parts"
	# A private deb-src list made from the system's own deb entries, so that
	# the system's apt configuration is left as it is.
	{
		sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list 2>/dev/null
	} >"$dir/apt/sources.list"
	for f in /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && sed -n 's/^deb \(.*\)/deb-src \1/p' "$f" >>"$dir/apt/sources.list"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && sed 's/^Types:.*/Types: deb-src/' "$f" >"$dir/apt/parts/$(basename "$f")"
	done
	aptopt=(-o "Dir::Etc::SourceList=$dir/apt/sources.list" -o "Dir::Etc::SourceParts=$dir/apt/parts"
		-o "Dir::State::Lists=$dir/apt/lists" -o "APT::Sandbox::User=root")
	apt-get "${aptopt[@]}" update >>"$log" 2>&1 || use_glibc "apt-get update for the source packages failed"
	# shellcheck disable=SC2086
	(cd "$dir/src" && apt-get "${aptopt[@]}" source $want) >>"$log" 2>&1 ||
		use_glibc "apt-get source$want failed (no deb-src on the mirror?)"

	kcc="musl-gcc -isystem $kinc"
	jsrc=$(find "$dir/src" -mindepth 1 -maxdepth 1 -type d -name 'json-c-*' | head -n 1)
	ssrc=$(find "$dir/src" -mindepth 1 -maxdepth 1 -type d -name 'libseccomp-*' | head -n 1)
	[ -n "$jsrc" ] && [ -n "$ssrc" ] || use_glibc "source packages not unpacked"
	jobs=$(nproc 2>/dev/null || echo 2)
	# No locale switching in json-c: musl reads numbers the same in every
	# locale, and json-c's duplocale/newlocale around each parse would set
	# up musl's own allocator in berth for nothing (HAVE_*LOCALE=OFF).
	{
		mkdir -p "$jsrc/build-musl" &&
			(cd "$jsrc/build-musl" && CC=musl-gcc CFLAGS="-O2 -isystem $kinc" cmake .. \
				-DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
				-DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON -DBUILD_TESTING=OFF \
				-DBUILD_APPS=OFF -DDISABLE_WERROR=ON \
				-DHAVE_USELOCALE=OFF -DHAVE_SETLOCALE=OFF &&
				make -j"$jobs" && make install)
	} >>"$log" 2>&1 || use_glibc "json-c did not build with musl-gcc"
	{
		(cd "$ssrc" && CC="$kcc" CFLAGS="-O2" ./configure --prefix="$prefix" --libdir="$prefix/lib" \
			--enable-static --disable-shared --disable-python &&
			make -j"$jobs" -C src && make -C src install && make -C include install)
	} >>"$log" 2>&1 || use_glibc "libseccomp did not build with musl-gcc"
	echo "$want $recipe" >"$stamp"
fi

# Last check: a program using both links and runs.
cat >"$dir/probe.c" <<'EOF'
#include <json-c/json.h>
#include <seccomp.h>
int main(void)
{
	json_object *o = json_tokener_parse("{\"a\":1}");
	int ok = o && json_object_get_int(json_object_object_get(o, "a")) == 1 && seccomp_version();
	json_object_put(o);
	return !ok;
}
EOF
musl-gcc -isystem "$kinc" -isystem "$prefix/include" -static -o "$dir/probe" "$dir/probe.c" \
	-L"$prefix/lib" -ljson-c -lseccomp >>"$log" 2>&1 && "$dir/probe" ||
	use_glibc "a musl program with json-c and libseccomp did not link or run"

cat >"$out" <<EOF
# written by scripts/musl-libs.sh ($want)
LIBC := musl
MUSL_CC := musl-gcc -isystem $kinc -isystem $prefix/include
MUSL_LDFLAGS := -L$prefix/lib
EOF
echo "musl-libs: linking with musl (json-c and libseccomp built in build/musl)" >&2
