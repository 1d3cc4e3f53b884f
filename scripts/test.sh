#!/usr/bin/env bash
# Runs every test of every module, the slow end-to-end ones included, on a fresh machine:
# installs the JDK and Maven if missing, fetches the test fixtures (real MRI volumes from Debian's
# mricron-data package), then runs Maven. Extra arguments go to Maven (e.g. -pl segloss-core).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh --browser
if [ -f scripts/fetch-fixtures.sh ]; then bash scripts/fetch-fixtures.sh; fi
exec mvn -B -ntp test "$@"
