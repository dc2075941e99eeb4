#!/usr/bin/env bash
# Unpacks Debian unstable's valgrind into build/valgrind (nothing is
# installed) and writes build/valgrind/valgrind, a wrapper that runs it.
# Debian 12's valgrind (3.19) has no openat2 or pidfd_open and Debian 13's
# (3.24) no open_tree or mount_setattr: under them berth's
# create, run and exec stop with ENOSYS. The unstable package's binaries
# run on Debian 12 (its launcher needs glibc 2.34, the tools are static).
# apt-get uses a private source list and state here: the host's apt
# configuration is not touched.
set -eu
dir=${1:-build/valgrind}
mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial"
dir=$(cd "$dir" && pwd)
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" \
	>"$dir/apt/sources.list"
opts=(-o "Dir::Etc::SourceList=$dir/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$dir/apt/lists" -o "Dir::Cache=$dir/apt/cache")
apt-get "${opts[@]}" update -qq
(cd "$dir/apt" && rm -f valgrind_*.deb && apt-get "${opts[@]}" download valgrind 2>&1 | grep -v unsandboxed || true)
rm -rf "$dir/root"
dpkg -x "$dir"/apt/valgrind_*.deb "$dir/root"
cat >"$dir/valgrind" <<EOF
#!/bin/sh
VALGRIND_LIB=$dir/root/usr/libexec/valgrind exec $dir/root/usr/bin/valgrind.bin "\$@"
EOF
chmod +x "$dir/valgrind"
"$dir/valgrind" --version
