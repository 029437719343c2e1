#!/usr/bin/env bash
# Set up clausescan on a fresh Debian/Ubuntu machine: the system packages it needs
# (Tesseract OCR, poppler for the benchmark), a virtual environment in .venv, and the
# package with its test dependencies. Safe to run again: it only installs what is missing.
#   --tests   also install LibreOffice Calc, which the tests use to open the workbook, and Chromium,
#             in which they load the HTML report
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "clausescan needs Python 3.11 or newer as '$python' (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi

missing=()
command -v tesseract >/dev/null || missing+=(tesseract-ocr tesseract-ocr-eng)
# osd.traineddata: orientation detection, which turns upside-down and sideways scans upright
# (Debian's tesseract-ocr depends on it; other distributions may not)
{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx osd; } || missing+=(tesseract-ocr-osd)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
"$python" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ "${1:-}" = "--tests" ]; then
  command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing+=(chromium)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[dev]"
