#!/usr/bin/env bash
# torchvision's Python sources for test/torchvision.test.ts, without installing
# torch: the installed Debian package when present, else python3-torchvision's
# .deb downloaded and extracted into .cache/torchvision (gitignored). Idempotent
# and quiet; prints the package folder it settled on.
#   TORCHSHAPE_FETCH_TORCHVISION=1 extracts a copy even when the package is installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
installed=/usr/lib/python3/dist-packages/torchvision
cache="$root/.cache/torchvision"
extracted="$cache/usr/lib/python3/dist-packages/torchvision"

if [[ -f "$installed/models/resnet.py" && -z "${TORCHSHAPE_FETCH_TORCHVISION:-}" ]]; then
  echo "$installed"
  exit 0
fi
if [[ -f "$extracted/models/resnet.py" ]]; then
  echo "$extracted"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# apt-get download needs the package lists; refresh them only when it fails without
if ! (cd "$work" && apt-get download -qq python3-torchvision >/dev/null 2>&1); then
  apt-get update -qq >/dev/null
  (cd "$work" && apt-get download -qq python3-torchvision >/dev/null)
fi
mkdir -p "$cache"
dpkg-deb -x "$work"/python3-torchvision_*.deb "$cache"
if [[ ! -f "$extracted/models/resnet.py" ]]; then
  echo "torchvision_sources: the package did not contain $extracted/models/resnet.py" >&2
  exit 1
fi
echo "$extracted"
