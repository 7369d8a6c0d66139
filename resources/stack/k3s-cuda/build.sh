#!/bin/sh
# Builds (and with --push, publishes) RigLease's k3s + NVIDIA toolkit image. Run by CI on a
# machine with registry access; prints the digest to pin in src/provider/stack/images.ts.
#   IMAGE=ghcr.io/riglease/k3s-cuda NVIDIA_CTK_VERSION=1.17.8-1 ./build.sh [--push]
set -eu
cd "$(dirname "$0")"
ROOT=../../..
K3S_TAG=$(sed -n "s/^export const K3S_VERSION = '\(.*\)';$/\1/p" "$ROOT/src/provider/stack/images.ts")
CUDA_TAG=$(sed -n "s#^export const CUDA_BASE = 'nvcr.io/nvidia/cuda:\(.*\)';\$#\1#p" "$ROOT/src/provider/stack/images.ts")
IMAGE=${IMAGE:-ghcr.io/riglease/k3s-cuda}
TAG="$IMAGE:$K3S_TAG-cuda${CUDA_TAG%%-*}"
docker buildx build --platform linux/amd64 \
  --build-arg K3S_TAG="$K3S_TAG" --build-arg CUDA_TAG="$CUDA_TAG" \
  --build-arg NVIDIA_CTK_VERSION="${NVIDIA_CTK_VERSION:-}" \
  -t "$TAG" ${1:+--push} .
echo "built $TAG"
if [ "${1:-}" = "--push" ]; then docker buildx imagetools inspect "$TAG" --format '{{json .Manifest.Digest}}'; fi
