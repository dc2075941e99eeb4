# The CRI path, as the kubelet drives it: containerd 1.6's CRI plugin with
# a runtime entry "berth" (runtime_type io.containerd.runc.v2,
# options.BinaryName = berth), driven over the CRI gRPC API by
# tests/engines/cri_client.py with runtime_handler "berth" (what a
# RuntimeClass with handler: berth makes the kubelet send). A host-network
# pod (no CNI), a container with a log file, ExecSync, stop, remove.
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

cri_setup() {
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
  bin_dir = \"$T/cni/bin\"
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
	out=$(cri CreateContainer "$(jq -n -c --arg pod "$pod" --argjson pc "$podcfg" '{
		podSandboxId: $pod, sandboxConfig: $pc,
		config: { metadata: { name: "c1" }, image: { image: "docker.io/library/berth-test:latest" },
			command: ["sh", "-c", "echo hello-from-cri; trap \"exit 0\" TERM; while :; do sleep 0.1; done"],
			logPath: "c1.log", linux: {} }
	}')" 2>&1) || fail "CreateContainer: $out $(berth_log_tail)"
	cid=$(echo "$out" | jq -r .containerId)
	cri StartContainer "{\"containerId\": \"$cid\"}" >/dev/null || fail "StartContainer $(berth_log_tail)"
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
