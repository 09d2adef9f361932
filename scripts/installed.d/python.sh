#!/usr/bin/env bash
# The Python wheels as a user installs them: a fresh venv, no cargo or rustc on PATH, no package
# index (only dist/python; --only-binary, so an sdist can never be built), `auditwheel show`,
# then a smoke script against the emulator started by lpconfig.testing as a subprocess.
# Prints the install time and the median `import lpconfig` time.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
shopt -s nullglob
wheels=(dist/python/lpconfig-*.whl)
emu_wheels=(dist/python/lpconfig_emulator-*.whl)
[ ${#wheels[@]} -eq 1 ] && [ ${#emu_wheels[@]} -eq 1 ] ||
  { echo "dist/python must hold one lpconfig and one lpconfig_emulator wheel" >&2; exit 1; }

tmp=$(mktemp -d)
# One closing line for the test summary, whatever step fails.
finish() {
  local rc=$?
  rm -rf "$tmp"
  if [ $rc -eq 0 ]; then echo "python-installed: 1 passed, 0 failed"; else echo "python-installed: 0 passed, 1 failed"; fi
}
trap finish EXIT

for whl in "${wheels[@]}" "${emu_wheels[@]}"; do
  report=$(.venv/bin/python -m auditwheel show "$whl" | tr -s '\n ' '  ')
  echo "$report"
  echo "$report" | grep -q 'consistent with the following platform tag: "manylinux_2_17_x86_64"' ||
    { echo "$whl: auditwheel does not accept manylinux_2_17" >&2; exit 1; }
  echo "$whl: $(stat -c %s "$whl") B"
done

python=$(python3 -c 'import sys; print(sys.executable)')
"$python" -m venv "$tmp/venv"
# Only the venv and the system directories: no ~/.cargo/bin, no rustup.
export PATH="$tmp/venv/bin:/usr/bin:/bin"
unset VIRTUAL_ENV CARGO_HOME RUSTUP_HOME
if command -v cargo >/dev/null || command -v rustc >/dev/null; then
  echo "cargo/rustc still on PATH" >&2
  exit 1
fi

t0=$(date +%s.%N)
pip install --quiet --disable-pip-version-check --no-index --only-binary :all: \
  --find-links "$root/dist/python" "lpconfig[testing]"
t1=$(date +%s.%N)
echo "install of lpconfig[testing] from dist/python: $(python -c "print(f'{$t1 - $t0:.1f}')") s"

cd "$tmp" # away from the checkout: nothing of ./python may be imported
python - <<'PY'
import os, statistics, subprocess, sys, time

import lpconfig
from lpconfig.testing import Emulator, emulator_path

native = lpconfig._native.__file__
assert "site-packages" in native, native
print(f"lpconfig {lpconfig.__version__}: extension {os.path.getsize(native) // 1024} KiB")
# D23: the production extension does not carry the emulator (its HTTP server, axum).
with open(native, "rb") as f:
    blob = f.read()
assert b"axum" not in blob and b"lpconfig_emulator" not in blob, "the extension links the emulator"
print("emulator program:", emulator_path())

with Emulator() as emu, emu.client() as client:
    users = client.users.list()
    assert len(users.value) == 20, len(users.value)
    agent = next(p for p in client.profiles.list().value if p.name == "Agent")
    group = client.agent_groups.list().value[0]
    created = client.users.create(
        lpconfig.User.new("smoke.agent", "Smoke Agent", "Smoke", "smoke.agent@example.com",
                          profile_ids=[agent.id], member_of=group.id, password="Str0ng-Passw0rd-1")
    ).value
    assert created.id is not None
    # Stored, as seen by a fresh read and on the wire.
    found = client.users.find_by_login_name("smoke.agent")
    assert found is not None and found.id == created.id
    posts = [r for r in emu.request_log() if r.method == "POST" and r.path.endswith("/users")]
    assert len(posts) == 1 and "smoke.agent" in posts[0].body, posts
    try:
        client.users.get(999999999)
    except lpconfig.NotFoundError as e:
        assert e.status == 404 and isinstance(e, LookupError)
    else:
        raise AssertionError("no NotFoundError")
    try:
        client.users.create(lpconfig.User.new("smoke.agent", "Again", "Again", "again@example.com",
                                              profile_ids=[agent.id], member_of=group.id,
                                              password="Str0ng-Passw0rd-1"))
    except lpconfig.LpError as e:
        assert isinstance(e, (lpconfig.ConflictError, lpconfig.InvalidError)), repr(e)
    else:
        raise AssertionError("a duplicate login name was accepted")
    assert sum(1 for u in client.users.list().value if u.login_name == "smoke.agent") == 1
    # A sync plan (lpconfig-sync, inside the same extension) reads and writes nothing.
    writes_before = sum(1 for r in emu.request_log() if r.method != "GET")
    plan = client.sync.plan(
        [{"login_name": "smoke.sync", "full_name": "Smoke Sync", "email": "sync@example.com",
          "roles": "Agent"},
         {"login_name": "jane.doe", "max_chats": 7}],
        allow_masked_blank=True,
    )
    summary = plan.summary()
    assert summary.users_to_create == 1 and summary.users_to_update == 1, str(summary)
    assert lpconfig.Plan.from_json(plan.to_json()).summary() == summary
    assert sum(1 for r in emu.request_log() if r.method != "GET") == writes_before, "plan wrote"
    assert client.users.find_by_login_name("smoke.sync") is None
print(f"smoke: listed 20 users, created smoke.agent, typed errors, sync plan ({summary})")

times = []
for _ in range(7):
    out = subprocess.run(
        [sys.executable, "-c", "import time; t=time.perf_counter(); import lpconfig; print(time.perf_counter()-t)"],
        capture_output=True, text=True, check=True,
    ).stdout
    times.append(float(out) * 1000)
print(f"import lpconfig: median {statistics.median(times):.1f} ms (min {min(times):.1f}, max {max(times):.1f}, 7 runs)")
PY
