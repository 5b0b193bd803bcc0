#!/usr/bin/env bash
# Install the Debian packages the test suite needs: Chromium + its driver (browser tests) and the
# PostgreSQL server (store tests). Idempotent: installs only what is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# node + npm: the independent DMN engine (dmn-moddle, feelin) and dmn-js, installed into tests/js by the tests
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# fonts and Chromium's Dutch locale data, so screenshots show Dutch text and dd-mm-jjjj date fields
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
dpkg -s chromium-l10n >/dev/null 2>&1 || need+=(chromium-l10n)
if [ ${#need[@]} -gt 0 ]; then
    echo "system-deps: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "system-deps: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), postgresql $(ls /usr/lib/postgresql/)" >&2
