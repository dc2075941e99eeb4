# The CRI path, as the kubelet drives it: containerd 1.6's CRI plugin with
# a runtime entry "berth" (runtime_type io.containerd.runc.v2,
# options.BinaryName = berth), driven over the CRI gRPC API by
# tests/engines/cri_client.py with runtime_handler "berth" (what a
# RuntimeClass with handler: berth makes the kubelet send). A host-network
# pod (no CNI), a container with a log file, ExecSync, stop, remove; and a
# pod on a CNI bridge network (Debian's plugins in /usr/lib/cni), with
# containerd in a network namespace of the test's own so that the bridge
# and its veths never touch the host's network.
# In `make check` by default (containerd, python3-grpcio, python3-protobuf
# and protobuf-compiler from Debian, installed by `scripts/deps.sh engines`;
# the CRI api.proto from CRI_PROTO); BERTH_ENGINE_TESTS=0 skips.
# tests/engines/lib.sh says more.

source "$(dirname "${BASH_SOURCE[0]}")/../engines/lib.sh"

CRI_PROTO=${CRI_PROTO:-/work/shared/reference/cri-api/api.proto}

# cri METHOD [JSON]: one CRI call; prints the JSON answer.
cri() {
	/usr/bin/python3 "$ENGINES_DIR/cri_client.py" "$T/crigen" "$CTD_SOCK" "$@"
}

# cri_setup [CNI_BIN_DIR]: containerd with the CRI plugin, its CNI
# configuration in $T/cni/net.d (empty unless the test wrote one first).
cri_setup() {
	local cni_bin=${1:-$T/cni/bin}
	engine_require "containerd (CRI)" containerd python3-grpcio python3-protobuf protobuf-compiler
	[ -r "$CRI_PROTO" ] || skip "no CRI api.proto at $CRI_PROTO (set CRI_PROTO)"
	mkdir -p "$T/crigen" "$T/cni/net.d" "$T/cni/bin" "$T/podlogs"
	protoc -I "$(dirname "$CRI_PROTO")" --python_out="$T/crigen" "$CRI_PROTO" || fail "protoc"
	[ -f "$T/crigen/api_pb2.py" ] || mv "$T/crigen/"*_pb2.py "$T/crigen/api_pb2.py"
	# The CRI plugin with its own (empty) CNI dirs, no AppArmor, and
	# oom_score_adj capped at containerd's own (the host's root may not
	# lower it: no CAP_SYS_RESOURCE).
	CTD_CRI=1 containerd_start "
[plugins.\"io.containerd.grpc.v1.cri\"]
  sandbox_image = \"docker.io/library/berth-pause:latest\"
  disable_apparmor = true
  restrict_oom_score_adj = true
  stream_server_address = \"127.0.0.1\"
  stream_server_port = \"0\"
  enable_selinux = false
[plugins.\"io.containerd.grpc.v1.cri\".containerd]
  snapshotter = \"overlayfs\"
  default_runtime_name = \"runc\"
[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]
  runtime_type = \"io.containerd.runc.v2\"
[plugins.\"io.containerd.grpc.v1.cri\".cni]
  bin_dir = \"$cni_bin\"
  conf_dir = \"$T/cni/net.d\"
"
	CTD_NS=k8s.io
	oci_image_tar "$T/pause.tar" docker.io/library/berth-pause:latest \
		'["/bin/sh","-c","trap \"exit 0\" TERM; while :; do sleep 1; done"]'
	c image import "$T/pause.tar" >&2 || fail "import pause image"
	oci_image_tar "$T/image.tar" docker.io/library/berth-test:latest
	c image import "$T/image.tar" >&2 || fail "import image"
	wait_until 50 cri Version || fail "CRI not serving: $(tail -n 20 "$T/ctd/containerd.log")"
}

# cri_start_container POD PODCFG SCRIPT: creates and starts container c1 of
# the test image in POD running sh -c SCRIPT (log c1.log); prints its id.
cri_start_container() {
	local out cid
	out=$(cri CreateContainer "$(jq -n -c --arg pod "$1" --argjson pc "$2" --arg sh "$3" '{
		podSandboxId: $pod, sandboxConfig: $pc,
		config: { metadata: { name: "c1" }, image: { image: "docker.io/library/berth-test:latest" },
			command: ["sh", "-c", $sh], logPath: "c1.log", linux: {} }
	}')" 2>&1) || fail "CreateContainer: $out $(berth_log_tail)"
	cid=$(echo "$out" | jq -r .containerId)
	cri StartContainer "{\"containerId\": \"$cid\"}" >/dev/null || fail "StartContainer $(berth_log_tail)"
	echo "$cid"
}

test_cri_runtime_handler_berth() {
	cri_setup
	local out pod cid podcfg
	out=$(cri Version) || fail "Version"
	assert_contains "$out" containerd
	# No hostname: the kubelet sends none for host-network pods (they keep
	# the host's UTS namespace, and berth, like runc, refuses a hostname
	# without a UTS namespace of the container's own).
	podcfg=$(jq -n -c --arg cg "$CTD_CG" --arg logs "$T/podlogs" '{
		metadata: { name: "berth-pod", uid: "berth-pod-uid", namespace: "default", attempt: 0 },
		logDirectory: $logs,
		linux: { cgroupParent: $cg, securityContext: { namespaceOptions: { network: "NODE" } } }
	}')
	out=$(cri RunPodSandbox "$(jq -n -c --argjson c "$podcfg" '{config: $c, runtimeHandler: "berth"}')" 2>&1) ||
		fail "RunPodSandbox: $out $(berth_log_tail)"
	pod=$(echo "$out" | jq -r .podSandboxId)
	# The sandbox's init runs under berth: berth's state root (the
	# runtime entry's options.Root) lists it.
	out=$("$BERTH" --root "$T/ctd/berth/k8s.io" list -q)
	assert_contains "$out" "$pod" "berth runs the sandbox"
	cid=$(cri_start_container "$pod" "$podcfg" "echo hello-from-cri; trap \"exit 0\" TERM; while :; do sleep 0.1; done") || exit 1
	out=$(cri ContainerStatus "{\"containerId\": \"$cid\"}") || fail "ContainerStatus"
	assert_eq "$(echo "$out" | jq -r .status.state)" CONTAINER_RUNNING
	assert_eq "$("$BERTH" --root "$T/ctd/berth/k8s.io" state "$cid" | jq -r .status)" running
	out=$(cri ExecSync "{\"containerId\": \"$cid\", \"cmd\": [\"sh\", \"-c\", \"echo exec-ok; exit 3\"], \"timeout\": 20}") ||
		fail "ExecSync: $out"
	assert_eq "$(echo "$out" | jq -r .stdout | base64 -d)" exec-ok
	assert_eq "$(echo "$out" | jq -r .exitCode)" 3 "ExecSync exit code"
	wait_until 50 grep -q hello-from-cri "$T/podlogs/c1.log" || fail "log: $(cat "$T/podlogs/c1.log")"
	cri StopContainer "{\"containerId\": \"$cid\", \"timeout\": 10}" >/dev/null || fail "StopContainer"
	out=$(cri ContainerStatus "{\"containerId\": \"$cid\"}")
	assert_eq "$(echo "$out" | jq -r .status.state)" CONTAINER_EXITED
	assert_eq "$(echo "$out" | jq -r '.status.exitCode // 0')" 0 "exit code of the TERM trap"
	cri RemoveContainer "{\"containerId\": \"$cid\"}" >/dev/null || fail "RemoveContainer"
	cri StopPodSandbox "{\"podSandboxId\": \"$pod\"}" >/dev/null || fail "StopPodSandbox"
	cri RemovePodSandbox "{\"podSandboxId\": \"$pod\"}" >/dev/null || fail "RemovePodSandbox"
	assert_eq "$("$BERTH" --root "$T/ctd/berth/k8s.io" list -q)" "" "berth state after removal"
}

# A pod on a CNI bridge network, as a kubelet runs any pod that is not on
# the host network: containerd makes the pod's network namespace and runs
# the bridge plugin in it, berth's sandbox and container configs name that
# namespace by path, and berth joins it. The daemon runs in a network
# namespace the test made: the bridge, its address and the host end of the
# veth live there and go with it.
test_cri_pod_cni_bridge() {
	local out pod cid podcfg ip netns_before
	engine_require "containerd (CRI) with CNI" containerd python3-grpcio python3-protobuf protobuf-compiler \
		containernetworking-plugins
	[ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] && [ -x /usr/lib/cni/loopback ] ||
		skip "no CNI plugins in /usr/lib/cni (Debian's containernetworking-plugins)"
	CTD_NETNS=berth-cri-$$
	ip netns add "$CTD_NETNS" || skip "ip netns add failed"
	on_teardown "ip netns delete $CTD_NETNS"
	ip netns exec "$CTD_NETNS" ip link set lo up
	# The pod namespaces containerd makes and forgets, if any: only those
	# that appear while this test runs.
	netns_before=$(ls /var/run/netns 2>/dev/null | grep '^cni-' | sort)
	on_teardown "cri_netns_cleanup '$netns_before'"
	mkdir -p "$T/cni/net.d"
	jq -n --arg ipam "$T/cni/ipam" '{
		cniVersion: "0.4.0", name: "berth-test-net",
		plugins: [{ type: "bridge", bridge: "berthcni0", isGateway: true, ipMasq: false,
			ipam: { type: "host-local", dataDir: $ipam, ranges: [[{ subnet: "10.217.0.0/24" }]],
				routes: [{ dst: "0.0.0.0/0" }] } }]
	}' >"$T/cni/net.d/10-berth.conflist"
	cri_setup /usr/lib/cni
	podcfg=$(jq -n -c --arg cg "$CTD_CG" --arg logs "$T/podlogs" '{
		metadata: { name: "berth-cni-pod", uid: "berth-cni-pod-uid", namespace: "default", attempt: 0 },
		hostname: "berth-cni-pod", logDirectory: $logs,
		linux: { cgroupParent: $cg }
	}')
	out=$(cri RunPodSandbox "$(jq -n -c --argjson c "$podcfg" '{config: $c, runtimeHandler: "berth"}')" 2>&1) ||
		fail "RunPodSandbox: $out $(berth_log_tail) $(tail -n 20 "$T/ctd/containerd.log")"
	pod=$(echo "$out" | jq -r .podSandboxId)
	out=$(cri PodSandboxStatus "{\"podSandboxId\": \"$pod\"}") || fail "PodSandboxStatus"
	ip=$(echo "$out" | jq -r .status.network.ip)
	case "$ip" in 10.217.0.*) ;; *) fail "pod IP not from the CNI range: $out" ;; esac
	cid=$(cri_start_container "$pod" "$podcfg" "trap \"exit 0\" TERM; while :; do sleep 0.1; done") || exit 1
	# berth was told to join the pod's namespace by path, and did.
	out=$(jq -r '.linux.namespaces[] | select(.type == "network") | .path // ""' \
		"$T/ctd/state/io.containerd.runtime.v2.task/k8s.io/$cid/config.json")
	case "$out" in /proc/*/ns/net | /var/run/netns/cni-* | /run/netns/cni-*) ;;
	*) fail "container's network namespace not joined by path: '$out'" ;; esac
	local cpid
	cpid=$("$BERTH" --root "$T/ctd/berth/k8s.io" state "$cid" | jq -r .pid)
	[ "$(stat -L -c %i "/proc/$cpid/ns/net")" != "$(stat -L -c %i "/var/run/netns/$CTD_NETNS")" ] ||
		fail "the container runs in the daemon's network namespace"
	[ "$(stat -L -c %i "/proc/$cpid/ns/net")" != "$(host_ns net)" ] || fail "the container runs in the host's network namespace"
	out=$(cri ExecSync "{\"containerId\": \"$cid\", \"cmd\": [\"sh\", \"-c\",
		\"ip -4 -o addr show eth0; hostname; ping -c 1 -W 3 10.217.0.1 >/dev/null && echo gateway-ok\"], \"timeout\": 20}") ||
		fail "ExecSync: $out"
	out=$(echo "$out" | jq -r .stdout | base64 -d)
	assert_contains "$out" "inet $ip/24" "the pod's address on eth0"
	assert_contains "$out" berth-cni-pod "the pod's hostname"
	assert_contains "$out" gateway-ok "the bridge answers from the pod"
	# The bridge is in the test's namespace, not the host's.
	ip netns exec "$CTD_NETNS" ip -4 -o addr show berthcni0 | grep -q 10.217.0.1 || fail "no bridge in the test namespace"
	ip link show berthcni0 >/dev/null 2>&1 && fail "the bridge is in the host's network namespace"
	cri StopContainer "{\"containerId\": \"$cid\", \"timeout\": 10}" >/dev/null || fail "StopContainer"
	cri RemoveContainer "{\"containerId\": \"$cid\"}" >/dev/null || fail "RemoveContainer"
	cri StopPodSandbox "{\"podSandboxId\": \"$pod\"}" >/dev/null || fail "StopPodSandbox"
	cri RemovePodSandbox "{\"podSandboxId\": \"$pod\"}" >/dev/null || fail "RemovePodSandbox"
	assert_eq "$("$BERTH" --root "$T/ctd/berth/k8s.io" list -q)" "" "berth state after removal"
	assert_eq "$(ls /var/run/netns 2>/dev/null | grep '^cni-' | sort)" "$netns_before" "pod network namespaces left"
}

# cri_netns_cleanup BEFORE: removes the cni-* network namespaces that are
# not in BEFORE (those this test's containerd made and did not remove).
cri_netns_cleanup() {
	local n
	for n in $(ls /var/run/netns 2>/dev/null | grep '^cni-'); do
		echo "$1" | grep -qx "$n" && continue
		umount "/var/run/netns/$n" 2>/dev/null
		rm -f "/var/run/netns/$n"
	done
}
