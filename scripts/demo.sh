#!/usr/bin/env bash
# README command 1: install everything, then scan the sample contracts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
set +e
.venv/bin/clausescan scan samples/contracts/ -o comparison.xlsx --json findings.json --csv out/ --html report.html
code=$?
set -e
# 3 means some file could not be fully read; the reports say which. Anything else is a failure.
[ "$code" -eq 0 ] || [ "$code" -eq 3 ] || exit "$code"
echo "Open report.html in a browser or comparison.xlsx, or read findings.json; out/ has the CSV files."
