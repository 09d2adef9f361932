"""Sums Surefire's XML reports into `kotlin: N passed, N failed`.

Errors count as failures; a run that left no report (the build failed before
the tests) counts as one failure so it can never read as a clean run.
"""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

reports = sorted(Path(sys.argv[1]).glob("TEST-*.xml")) if Path(sys.argv[1]).is_dir() else []
passed = failed = 0
for report in reports:
    suite = ET.parse(report).getroot()
    total, bad = int(suite.get("tests", 0)), int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    passed += total - bad - skipped
    failed += bad
if not reports:
    failed = 1
print(f"kotlin: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
