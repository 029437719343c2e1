#!/usr/bin/env bash
# README command 2: install everything, then run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
exec .venv/bin/python -m pytest -q "$@"
