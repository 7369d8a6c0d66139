#!/bin/sh
# Builds (and with --push, publishes) RigLease's k3s + NVIDIA toolkit image for linux/amd64, with
# the versions pinned in src/provider/stack/images.ts, and prints the pushed digest.
# .github/workflows/k3s-image.yml runs it; a maintainer can too, with registry access:
#   IMAGE=ghcr.io/riglease/k3s-cuda ./build.sh [--push]
set -eu
cd "$(dirname "$0")"
ROOT=../../..
pin() { sed -n "s#^export const $1 = '\(.*\)';\$#\1#p" "$ROOT/src/provider/stack/images.ts"; }
K3S_TAG=$(pin K3S_VERSION)
BASE_IMAGE=$(pin BASE_IMAGE)
NVIDIA_CTK_VERSION=$(pin NVIDIA_CTK_VERSION)
[ -n "$K3S_TAG" ] && [ -n "$BASE_IMAGE" ] && [ -n "$NVIDIA_CTK_VERSION" ] || { echo "build.sh: could not read the pins from images.ts" >&2; exit 1; }
IMAGE=${IMAGE:-ghcr.io/riglease/k3s-cuda}
# Same tag as IMAGES.k3s.ref: <k3s>-<base without ':'>-ctk<toolkit version without the deb revision>.
TAG="$IMAGE:$K3S_TAG-$(echo "$BASE_IMAGE" | tr -d ':')-ctk${NVIDIA_CTK_VERSION%%-*}"
docker buildx build --platform linux/amd64 \
  --build-arg K3S_TAG="$K3S_TAG" \
  --build-arg BASE_REPO="${BASE_IMAGE%%:*}" --build-arg BASE_TAG="${BASE_IMAGE#*:}" \
  --build-arg NVIDIA_CTK_VERSION="$NVIDIA_CTK_VERSION" \
  -t "$TAG" ${1:+--push} .
echo "built $TAG"
if [ "${1:-}" = "--push" ]; then
  DIGEST=$(docker buildx imagetools inspect "$TAG" --format '{{json .Manifest.Digest}}' | tr -d '"')
  echo "tag=$TAG"
  echo "digest=$DIGEST"
  echo "images.ts: export const K3S_PUBLISHED_DIGEST: string | null = '$DIGEST';"
fi
