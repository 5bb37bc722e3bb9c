#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for browser tests, fonts for rendering, the PostgreSQL
# client tools for backup tests. Installs what is missing when run as root; otherwise says what to install.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || need+=(fonts-liberation)
# Liberation 2 has the Vietnamese letters that the 1.x fonts lack (PDF documents in Times-metric serif).
[ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || need+=(fonts-liberation2)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
# npm installs the map's browser libraries from package-lock.json (make's venv target).
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)
command -v xgettext >/dev/null 2>&1 || need+=(gettext)
ldconfig -p | grep -q 'libpangoft2-1.0.so' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# LibreOffice renders the DOCX documents in tests, as a reader would open them (page numbers, layout).
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Thiếu gói hệ thống: ${need[*]}. Chạy: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
echo "Cài gói hệ thống: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
