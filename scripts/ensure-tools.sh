#!/usr/bin/env bash
# Installs what building segloss needs on a fresh Debian machine: a JDK 17 and Maven.
# With --browser, also what the report's browser test needs (ReportBrowserTest): Debian's chromium (headless)
# and poppler-utils (pdfinfo, pdftotext, pdftoppm read the printed PDF back).
# Everything else (Java libraries, the PyTorch and TensorFlow native libraries) comes from Maven Central.
# Idempotent: installs only what is missing, quietly; prints one line when it installs something.
set -euo pipefail
need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
if [ "${1:-}" = "--browser" ]; then
  command -v chromium >/dev/null 2>&1 || [ -n "${SEGLOSS_CHROMIUM:-}" ] || need+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "segloss: installing ${need[*]} (apt-get)" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  log=$(mktemp)
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
fi
