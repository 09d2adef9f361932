#!/usr/bin/env bash
# The SCIM conformance suite: scim2-tester (independent, from PyPI) and its httpx2
# client engine, installed into the repo's .venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  "scim2-tester==0.5.2" "scim2-client[httpx2]>=0.13,<0.14"
.venv/bin/python -c "import scim2_tester, httpx2; print('scim2-tester installed in .venv')"
