#!/bin/sh
# Starts a private Docker engine for the integration tests, unless it already answers. Run as
# root. Used by .ci/run and by test/docker/engine.ts, so both start the same engines the same way.
#
#   start-test-dockerd.sh       the plain engine: unix:///tmp/riglease-docker.sock, no NVIDIA
#                               runtime (what most machines without the toolkit have).
#   start-test-dockerd.sh gpu   the GPU engine: unix:///tmp/riglease-docker-gpu.sock, with the
#                               "nvidia" runtime registered and the toolkit's prestart hook on
#                               its PATH (a stand-in, nvidia-stand-in/), as `nvidia-ctk runtime
#                               configure` leaves a real machine: GPU DeviceRequests are accepted.
#
# Two engines in one network namespace must not share anything that one rebuilds or removes at
# start: each rebuilds the DOCKER iptables chains, and an engine started with --bridge=none
# deletes docker0, the other's default bridge. So the GPU engine has no iptables of its own
# (published ports still work through docker-proxy), its own default bridge created here, and
# its networks from a pool of its own in 100.64.0.0/10 (the first engine takes 172.17+ and 192.168).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
runtime="$here/runc-drop-missing-caps.sh"
case "${1:-plain}" in
  plain)
    host=unix:///tmp/riglease-docker.sock
    log=/tmp/riglease-dockerd.log
    pidfile=/tmp/riglease-dockerd.pid
    set -- --data-root /tmp/riglease-docker --pidfile "$pidfile"
    ;;
  gpu)
    host=unix:///tmp/riglease-docker-gpu.sock
    log=/tmp/riglease-dockerd-gpu.log
    bridge=rl-gpu0
    pidfile=/tmp/riglease-dockerd-gpu.pid
    # Short: containerd's shim sockets live under the exec root and unix socket paths are limited.
    set -- --data-root /tmp/riglease-docker-gpu --exec-root /tmp/rl-gpu-exec --pidfile "$pidfile" \
      --bridge="$bridge" --iptables=false --ip-masq=false --default-address-pool base=100.121.0.0/16,size=24 \
      --add-runtime "nvidia=$runtime"
    PATH="$here/nvidia-stand-in:$PATH"
    RIGLEASE_NVIDIA_HOOK_LOG=/tmp/riglease-docker-gpu/nvidia-hook.log
    export PATH RIGLEASE_NVIDIA_HOOK_LOG
    ;;
  *)
    echo "usage: $0 [plain|gpu]" >&2
    exit 2
    ;;
esac
if docker -H "$host" info >/dev/null 2>&1; then
  # An engine started from another checkout runs containers through that checkout's runtime
  # wrapper: once that folder is deleted, no container can start. Such an engine is restarted.
  registered=$(docker -H "$host" info --format '{{with index .Runtimes "riglease-test"}}{{.Path}}{{end}}' 2>/dev/null || true)
  if [ -x "$registered" ]; then exit 0; fi
  echo "the engine at $host runs containers through ${registered:-no riglease-test runtime}, which is gone: restarting it" >&2
  pid=$(cat "$pidfile")
  kill "$pid"
  # Its socket closes before it exits, and a new engine refuses to start while the pidfile is there.
  i=0
  while kill -0 "$pid" 2>/dev/null; do
    [ $i -lt 30 ] || { echo "the engine at $host did not stop within 30 s" >&2; exit 1; }
    sleep 1
    i=$((i + 1))
  done
fi
mkdir -p /tmp/riglease-docker
if [ "${bridge:-}" ]; then
  mkdir -p /tmp/riglease-docker-gpu
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
    ip addr add 100.120.0.1/24 dev "$bridge"
    ip link set "$bridge" up
  fi
  # A dockerd with address pools of its own that finds its previous default network in its
  # store deletes the interface named docker0 (moby daemon_unix.go, "clear stale bridge
  # network"): the first engine's bridge. Starting from an empty network store avoids that;
  # test networks are not meant to outlive a run anyway.
  rm -f /tmp/riglease-docker-gpu/network/files/local-kv.db
fi
nohup dockerd --host "$host" "$@" --add-runtime "riglease-test=$runtime" --default-runtime riglease-test \
  >>"$log" 2>&1 &
i=0
while [ $i -lt 60 ]; do
  docker -H "$host" info >/dev/null 2>&1 && exit 0
  sleep 1
  i=$((i + 1))
done
echo "dockerd did not answer within 60 s; the end of $log:" >&2
tail -30 "$log" >&2
exit 1
