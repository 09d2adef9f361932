"""Sums the closing lines of every test runner in a log into one line.

Understands cargo test / libtest, pytest, node --test and the plain
'N passed, N failed' line that the Kotlin and uniffi smoke suites print.
"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
passed = failed = 0
for m in re.finditer(r"^test result: \w+\. (\d+) passed; (\d+) failed", text, re.M):
    passed += int(m.group(1)); failed += int(m.group(2))
for m in re.finditer(r"^=+ (.*?) in [\d.]+s", text, re.M):  # pytest
    p = re.search(r"(\d+) passed", m.group(1)); f = re.search(r"(\d+) failed", m.group(1))
    e = re.search(r"(\d+) error", m.group(1))
    passed += int(p.group(1)) if p else 0
    failed += (int(f.group(1)) if f else 0) + (int(e.group(1)) if e else 0)
for m in re.finditer(r"^# pass (\d+)\s*\n# fail (\d+)", text, re.M):  # node --test
    passed += int(m.group(1)); failed += int(m.group(2))
for m in re.finditer(r"^(?:[\w-]+: )?(\d+) passed, (\d+) failed$", text, re.M):  # plain lines
    if not m.group(0).startswith("tests:"):
        passed += int(m.group(1)); failed += int(m.group(2))
print(f"tests: {passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
