# Helpers for the engine tests (tests/integration/5x_*.sh): containerd,
# podman, Docker and the CRI path driving berth. Sourced after
# tests/integration/lib.sh, so $T, $BERTH, $BHELPER, fail and skip exist.
#
# The engine tests run in `make check` by default: it installs the engines
# first (`scripts/deps.sh engines`, Debian packages, once per clone) and the
# tests start daemons of their own; the fourteen of them take about 20 s
# once the packages are there. BERTH_ENGINE_TESTS=0 skips them with a
# message saying so; BERTH_ENGINE_TESTS=1 makes them install what is missing
# themselves and fail, not skip, when that cannot be done.

ENGINES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$ENGINES_DIR/../.." && pwd)

# engine_require WHAT PKG...: skips with BERTH_ENGINE_TESTS=0. When some of
# the PKGs (Debian packages) are not installed: with BERTH_ENGINE_TESTS=1
# installs them through scripts/deps.sh (BERTH_DEPS_EXTRA) and fails if it
# cannot; otherwise skips, naming them and why they are missing (the reason
# `make check` left in build/.deps-engines-failed, if any).
engine_require() {
	local what=$1 pkg missing="" why
	shift
	if [ "${BERTH_ENGINE_TESTS:-}" = 0 ]; then
		skip "engine tests off (BERTH_ENGINE_TESTS=0): $what not run"
	fi
	for pkg in $*; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $pkg"
	done
	if [ -n "$missing" ]; then
		if [ "${BERTH_ENGINE_TESTS:-}" = 1 ]; then
			BERTH_DEPS_EXTRA="$missing" bash "$REPO_DIR/scripts/deps.sh" >&2 ||
				fail "could not install$missing"
		else
			why="make check installs them with scripts/deps.sh engines"
			if [ -s "$REPO_DIR/build/.deps-engines-failed" ]; then
				why="scripts/deps.sh engines: $(tail -n 1 "$REPO_DIR/build/.deps-engines-failed")"
			fi
			skip "$what not run, not installed:$missing ($why)"
		fi
	fi
	# Engines look the runtime up by absolute path.
	case "$BERTH" in /*) ;; *) BERTH=$(cd "$(dirname "$BERTH")" && pwd)/$(basename "$BERTH") ;; esac
}

# rootfs_tar OUT: a tar of the test rootfs (busybox + bhelper), for
# `podman import`, `docker import` and the OCI layer.
rootfs_tar() {
	local r=$T/img-rootfs
	[ -d "$r" ] || make_rootfs "$r"
	tar --numeric-owner --owner=0 --group=0 -C "$r" -cf "$1" . || fail "tar rootfs"
}

# oci_blob FILE DIR: moves FILE into DIR/blobs/sha256 and prints its digest.
oci_blob() {
	local d
	d=$(sha256sum "$1" | cut -d' ' -f1)
	mkdir -p "$2/blobs/sha256"
	mv "$1" "$2/blobs/sha256/$d"
	echo "$d"
}

# oci_image_tar OUT NAME: an OCI image layout tarball of the test rootfs
# (one uncompressed layer) whose index names the image NAME, for
# `ctr image import`. CMD_JSON (default ["/bin/sh"]) is the image's Cmd.
oci_image_tar() {
	local out=$1 name=$2 cmd=${3:-'["/bin/sh"]'} l=$T/oci-layout layer cfgd mand lsize csize msize
	rm -rf "$l"
	mkdir -p "$l"
	rootfs_tar "$l/layer.tar"
	lsize=$(stat -c %s "$l/layer.tar")
	layer=$(oci_blob "$l/layer.tar" "$l")
	jq -n -c --arg diff "sha256:$layer" --argjson cmd "$cmd" '{
		architecture: "amd64", os: "linux",
		config: { Env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: $cmd, WorkingDir: "/" },
		rootfs: { type: "layers", diff_ids: [$diff] }
	}' >"$l/config.json"
	csize=$(stat -c %s "$l/config.json")
	cfgd=$(oci_blob "$l/config.json" "$l")
	jq -n -c --arg c "sha256:$cfgd" --argjson cs "$csize" --arg ld "sha256:$layer" --argjson ls "$lsize" '{
		schemaVersion: 2,
		mediaType: "application/vnd.oci.image.manifest.v1+json",
		config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs },
		layers: [ { mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $ld, size: $ls } ]
	}' >"$l/manifest.json"
	msize=$(stat -c %s "$l/manifest.json")
	mand=$(oci_blob "$l/manifest.json" "$l")
	jq -n -c --arg m "sha256:$mand" --argjson ms "$msize" --arg n "$name" '{
		schemaVersion: 2,
		manifests: [ {
			mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $ms,
			platform: { architecture: "amd64", os: "linux" },
			annotations: { "io.containerd.image.name": $n, "org.opencontainers.image.ref.name": "latest" }
		} ]
	}' >"$l/index.json"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$l/oci-layout"
	tar -C "$l" -cf "$out" oci-layout index.json blobs || fail "tar oci layout"
}

# wait_until TRIES CMD...: retries CMD every 0.1 s.
wait_until() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# stop_pidfile FILE: stops the daemon whose pid FILE names (TERM, then KILL).
stop_pidfile() {
	local p
	[ -s "$1" ] || return 0
	p=$(cat "$1")
	[ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 0
	kill "$p" 2>/dev/null
	wait_until 100 eval "! kill -0 $p" || kill -9 "$p" 2>/dev/null
	return 0
}

# engine_cgroup_remove PATH: removes the cgroup PATH (one this test made)
# from every hierarchy, deepest first.
engine_cgroup_remove() {
	local d
	[ -n "$1" ] && [ "$1" != / ] || return 0
	for d in /sys/fs/cgroup/*/"${1#/}" /sys/fs/cgroup/"${1#/}"; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	return 0
}

# berth_log_tail: the errors berth wrote into the shim's per-bundle log
# files, to explain an engine failure.
berth_log_tail() {
	find "$T" -name log.json -newer "$T" 2>/dev/null | while read -r f; do
		echo "== $f"
		tail -n 5 "$f"
	done
}

# --- containerd ----------------------------------------------------------

# containerd_start [EXTRA_TOML]: starts a containerd of this test's own
# (root, state, sockets under $T/ctd), with a runtime "berth" whose shim
# runs $BERTH (options.BinaryName) and keeps its state under $T/ctd/berth.
# Sets CTD_SOCK, CTD_NS and CTD_CG (the cgroup parent of the containers)
# and registers the daemon's stop and cleanup with on_teardown. With
# CTD_NETNS set the daemon runs in that (test-made) network namespace.
containerd_start() {
	local d=$T/ctd
	mkdir -p "$d"
	CTD_SOCK=$d/c.sock
	CTD_NS=berthtest$(basename "$T" | tr -dc 'a-zA-Z0-9')
	CTD_CG=/berth-test-engine-ctd-$(basename "$T")
	# Plain ctr tests need no CRI plugin; the CRI test sets CTD_CRI=1.
	local disabled='disabled_plugins = ["io.containerd.grpc.v1.cri"]'
	[ "${CTD_CRI:-0}" = 1 ] && disabled=''
	cat >"$d/config.toml" <<EOT
version = 2
root = "$d/root"
state = "$d/state"
oom_score = 0
$disabled
[grpc]
  address = "$CTD_SOCK"
[ttrpc]
  address = "$CTD_SOCK.ttrpc"
[debug]
  level = "debug"
[plugins."io.containerd.internal.v1.opt"]
  path = "$d/opt"
[plugins."io.containerd.runtime.v2.task"]
  platforms = ["linux/amd64"]
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.berth]
  runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.berth.options]
    BinaryName = "$BERTH"
    Root = "$d/berth"
${1:-}
EOT
	on_teardown containerd_stop
	# CTD_NETNS: a network namespace of the test's own for the daemon (and
	# so for the CNI bridge it makes); the mount namespace stays the host's.
	local netns=()
	[ -n "${CTD_NETNS:-}" ] && netns=(nsenter "--net=/var/run/netns/$CTD_NETNS")
	"${netns[@]}" containerd --config "$d/config.toml" >"$d/containerd.log" 2>&1 &
	echo $! >"$d/pid"
	local p
	p=$(cat "$d/pid")
	wait_until 150 eval "[ -S '$CTD_SOCK' ] || ! kill -0 $p" &&
		kill -0 "$p" 2>/dev/null && ctr --address "$CTD_SOCK" version >/dev/null 2>&1 ||
		fail "containerd did not start: $(tail -n 20 "$d/containerd.log")"
}

# c ARGS...: ctr against this test's containerd and namespace.
c() {
	ctr --address "$CTD_SOCK" --namespace "$CTD_NS" "$@"
}

# containerd_import: imports the test rootfs as image $CTD_IMG.
containerd_import() {
	CTD_IMG=docker.io/library/berth-test:latest
	oci_image_tar "$T/image.tar" "$CTD_IMG"
	c image import "$T/image.tar" >&2 || fail "ctr image import"
	c image ls -q | grep -qx "$CTD_IMG" || fail "image $CTD_IMG not listed: $(c image ls)"
}

containerd_stop() {
	local id
	[ -n "${CTD_SOCK:-}" ] || return 0
	if [ -S "$CTD_SOCK" ]; then
		for id in $(c task ls -q 2>/dev/null); do
			c task kill -s KILL "$id" 2>/dev/null
			c task delete -f "$id" 2>/dev/null
		done
		for id in $(c container ls -q 2>/dev/null); do
			c container delete "$id" 2>/dev/null
		done
	fi
	stop_pidfile "$T/ctd/pid"
	# Shims of this containerd that outlived it.
	local p
	for p in $(grep -l -- "$CTD_NS" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
		case "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" in
		*containerd-shim*"-namespace $CTD_NS "*) kill -9 "$p" 2>/dev/null ;;
		esac
	done
	grep -o " $T/ctd[^ ]*" /proc/self/mountinfo 2>/dev/null | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
	rm -rf "/run/containerd/runc/$CTD_NS" "/run/containerd/io.containerd.runtime.v2.task/$CTD_NS"
	rmdir /run/containerd/runc /run/containerd/s /run/containerd/fifo /run/containerd 2>/dev/null
	engine_cgroup_remove "$CTD_CG"
}

# --- podman --------------------------------------------------------------

# podman_setup: a podman of this test's own (storage, run and tmp dirs under
# $T/pm, cgroupfs, file events, no network), with berth as its runtime, and
# the test rootfs imported as $PM_IMG. Sets PM_CG, the containers' cgroup
# parent.
podman_setup() {
	local d=$T/pm
	mkdir -p "$d"
	PM_CG=/berth-test-engine-pm-$(basename "$T")
	PM_IMG=localhost/berth-test:latest
	# podman keeps its blob-info cache in /var/lib/containers/cache whatever
	# --root says; remove it afterwards if this test made it.
	PM_VARLIB_NEW=0
	[ -e /var/lib/containers ] || PM_VARLIB_NEW=1
	# Likewise berth's default state root, which podman's containers use.
	PM_RUNBERTH_NEW=0
	[ -e /run/berth ] || PM_RUNBERTH_NEW=1
	on_teardown podman_teardown
	rootfs_tar "$T/rootfs.tar"
	p import "$T/rootfs.tar" "$PM_IMG" >&2 || fail "podman import"
}

# p ARGS...: podman with this test's dirs and berth as the runtime. podman
# passes berth no --root, so berth keeps its state in its default root,
# /run/berth (a --runtime-flag root=... is not carried to the exit
# command's cleanup, which then cannot find the container).
p() {
	podman --root "$T/pm/root" --runroot "$T/pm/run" --tmpdir "$T/pm/tmp" \
		--storage-driver overlay --runtime "$BERTH" --cgroup-manager cgroupfs \
		--events-backend file "$@"
}

# prun ARGS...: `podman run` with the options every container here needs:
# its own cgroup parent, no network, and rlimits this host can grant (root
# here lacks CAP_SYS_RESOURCE, so podman's default hard limits fail).
prun() {
	p run --cgroup-parent "$PM_CG" --network none \
		--ulimit nofile=20000:20000 --ulimit nproc=32768:32768 "$@"
}

podman_teardown() {
	local id
	[ -d "$T/pm" ] || return 0
	for id in $(p ps -aq 2>/dev/null); do
		p rm -f -t 0 "$id" 2>/dev/null
	done
	p system reset -f >/dev/null 2>&1 || true
	grep -o " $T/pm[^ ]*" /proc/self/mountinfo 2>/dev/null | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
	engine_cgroup_remove "$PM_CG"
	if [ "${PM_RUNBERTH_NEW:-0}" = 1 ]; then
		rm -rf /run/berth/.cache
		rmdir /run/berth 2>/dev/null
	fi
	if [ "${PM_VARLIB_NEW:-0}" = 1 ]; then
		rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb
		rmdir /var/lib/containers/cache /var/lib/containers 2>/dev/null
	fi
	return 0
}

# --- Docker --------------------------------------------------------------

# dockerd_start: a dockerd of this test's own (data root, exec root, pid
# file and socket under $T/dk) on top of this test's containerd, with the
# runtime "berth" (--add-runtime), a cgroup parent of its own, and no
# bridge, iptables or NAT rules: the containers run with --network none.
# Sets DK_CG and DK_IMG (the test rootfs, imported).
dockerd_start() {
	local d=$T/dk
	mkdir -p "$d"
	containerd_start
	DK_CG=/berth-test-engine-dk-$(basename "$T")
	DK_SOCK=$d/d.sock
	echo '{}' >"$d/daemon.json"
	# dockerd makes /run/docker/plugins; remove it afterwards if it is ours.
	DK_RUN_NEW=0
	[ -e /run/docker ] || DK_RUN_NEW=1
	on_teardown dockerd_stop
	dockerd --config-file "$d/daemon.json" --data-root "$d/data" --exec-root "$d/exec" \
		--pidfile "$d/pid" -H "unix://$DK_SOCK" --containerd "$CTD_SOCK" \
		--containerd-namespace "${CTD_NS}dk" --containerd-plugins-namespace "${CTD_NS}dkp" \
		--cgroup-parent "$DK_CG" --exec-opt native.cgroupdriver=cgroupfs \
		--add-runtime "berth=$BERTH" --storage-driver overlay2 \
		--bridge none --iptables=false --ip6tables=false --ip-masq=false \
		--userland-proxy=false --oom-score-adjust 0 >"$d/dockerd.log" 2>&1 &
	echo $! >"$d/dpid"
	local p=$!
	wait_until 200 eval "[ -S '$DK_SOCK' ] && dk version || ! kill -0 $p" &&
		kill -0 "$p" 2>/dev/null ||
		fail "dockerd did not start: $(tail -n 20 "$d/dockerd.log")"
	DK_IMG=berth-test:latest
	rootfs_tar "$T/rootfs.tar"
	dk import "$T/rootfs.tar" "$DK_IMG" >&2 || fail "docker import"
}

# dk ARGS...: Debian's docker client (the same version as dockerd) against
# this test's daemon.
dk() {
	/usr/bin/docker -H "unix://$DK_SOCK" "$@"
}

dockerd_stop() {
	local id
	[ -n "${DK_SOCK:-}" ] || return 0
	if [ -S "$DK_SOCK" ]; then
		for id in $(dk ps -aq 2>/dev/null); do
			dk rm -f "$id" >/dev/null 2>&1
		done
	fi
	stop_pidfile "$T/dk/dpid"
	grep -o " $T/dk[^ ]*" /proc/self/mountinfo 2>/dev/null | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
	engine_cgroup_remove "$DK_CG"
	[ "${DK_RUN_NEW:-0}" = 1 ] && rmdir /run/docker/plugins /run/docker 2>/dev/null
	# dockerd made no bridge or rules (--bridge none --iptables=false); drop
	# the chains it may still have created on start.
	local ch
	for ch in DOCKER-USER DOCKER-ISOLATION-STAGE-2 DOCKER-ISOLATION-STAGE-1 DOCKER; do
		iptables -t filter -F "$ch" 2>/dev/null && iptables -t filter -X "$ch" 2>/dev/null
		iptables -t nat -F "$ch" 2>/dev/null && iptables -t nat -X "$ch" 2>/dev/null
	done
	return 0
}
