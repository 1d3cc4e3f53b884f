#!/usr/bin/env bash
# Downloads the optional real-data test fixtures into .fixtures/ (git-ignored; never commit them).
#
#   .fixtures/mricron/usr/share/mricron/templates/   Debian package mricron-data: MNI "ch2" T1 brain
#                                                    (ch2.nii.gz), the AAL atlas on its grid (aal.nii.gz),
#                                                    INIA19 template + NeuroMaps labels, and other atlases
#
# Used by the @Tag("slow") tests dev.segloss.data.nifti.MricronFixtureTest and dev.segloss.train.MricronPredictTest,
# which fail when CI=true and the fixture is missing. Idempotent: does nothing when the fixture is already there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.fixtures/mricron"
marker="$dest/usr/share/mricron/templates/aal.nii.gz"
if [ -f "$marker" ]; then
  echo "fixtures: mricron-data already in $dest"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
if ! apt-get download mricron-data >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  apt-get download mricron-data >/dev/null
fi
deb="$(ls mricron-data_*.deb | head -n 1)"
mkdir -p "$tmp/x"
dpkg -x "$deb" "$tmp/x"
test -f "$tmp/x/usr/share/mricron/templates/aal.nii.gz"
mkdir -p "$root/.fixtures"
rm -rf "$dest.partial"
mv "$tmp/x" "$dest.partial"
mv "$dest.partial" "$dest"
echo "fixtures: mricron-data ($deb) unpacked into $dest"
