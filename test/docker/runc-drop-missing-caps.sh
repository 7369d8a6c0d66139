#!/bin/sh
# OCI runtime for the TEST engine only (test/docker/start-test-dockerd.sh registers it as the
# default runtime). Some sandboxes, this CI's among them, run dockerd without every capability
# in its bounding set (CAP_SYS_RESOURCE is missing here), so runc refuses `--privileged`
# containers with "unable to apply caps: operation not permitted". The stack's k3s container is
# privileged on a real machine and must stay so in the code under test; this shim removes from
# the container's config only the capabilities this process does not have, then runs runc.
set -eu
names="CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE"
bnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
missing=""
bit=0
for n in $names; do
  if [ $(( (0x$bnd >> bit) & 1 )) -eq 0 ]; then missing="$missing\"CAP_$n\","; fi
  bit=$((bit + 1))
done
bundle=""
process=""
prev=""
for a in "$@"; do
  case "$prev" in
    --bundle | -b) bundle="$a" ;;
    --process | -p) process="$a" ;;
  esac
  case "$a" in
    --bundle=*) bundle="${a#--bundle=}" ;;
    --process=*) process="${a#--process=}" ;;
  esac
  prev="$a"
done
# drop_caps FILE PATH: remove the missing capabilities from the capability lists at PATH in FILE.
drop_caps() {
  jq --argjson drop "[${missing%,}]" \
    "if $2 then $2 |= with_entries(.value |= map(select(. as \$c | \$drop | index(\$c) | not))) else . end" \
    "$1" > "$1.tmp" && mv "$1.tmp" "$1"
}
if [ -n "$missing" ]; then
  # `create` reads the container's config.json; `exec` (docker exec) reads a process.json.
  if [ -n "$bundle" ] && [ -f "$bundle/config.json" ]; then drop_caps "$bundle/config.json" .process.capabilities; fi
  if [ -n "$process" ] && [ -f "$process" ]; then drop_caps "$process" .capabilities; fi
fi
exec runc "$@"
