#!/bin/sh
# Starts the private Docker engine the integration tests use (unix:///tmp/riglease-docker.sock,
# data under /tmp/riglease-docker), unless it already answers. Run as root. Used by .ci/run and
# by test/docker/engine.ts, so both start the same engine the same way.
set -eu
host=unix:///tmp/riglease-docker.sock
here=$(cd "$(dirname "$0")" && pwd)
if docker -H "$host" info >/dev/null 2>&1; then exit 0; fi
mkdir -p /tmp/riglease-docker
nohup dockerd --host "$host" --data-root /tmp/riglease-docker --pidfile /tmp/riglease-dockerd.pid \
  --add-runtime "riglease-test=$here/runc-drop-missing-caps.sh" --default-runtime riglease-test \
  >>/tmp/riglease-dockerd.log 2>&1 &
i=0
while [ $i -lt 60 ]; do
  docker -H "$host" info >/dev/null 2>&1 && exit 0
  sleep 1
  i=$((i + 1))
done
echo "dockerd did not answer within 60 s; the end of /tmp/riglease-dockerd.log:" >&2
tail -30 /tmp/riglease-dockerd.log >&2
exit 1
