"""Syntax check of the Swift side without a Swift compiler.

Parses the generated LpConfig.swift, the package manifest, the usage example
and the XCTest file with tree-sitter's Swift grammar and fails on any ERROR or
MISSING node; compiles the generated C header with `cc -fsyntax-only`; and
checks that a deliberately broken snippet IS flagged, so the check cannot pass
vacuously. Calls in the example and tests are also checked against the
generated declarations' argument labels (see swift_api.py). Prints
`swift-parse: N passed, N failed`.

The grammar cannot attach an attribute to a declaration across a `#if` block
(`#if swift(>=5.8) @_documentation(..) #endif func ...`), which Swift allows,
so `#if` blocks are first resolved for one configuration, as the compiler
would: Swift 6 on an Apple platform with the FFI module importable. Branches
that configuration leaves out are blanked (line numbers stay) and not checked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import swift_api
import tree_sitter
import tree_sitter_swift

SWIFT_VERSION = (6, 0)
OS = "macOS"
ARCH = "arm64"

_TOKEN = re.compile(r"\s*(\|\||&&|!|\(|\)|[A-Za-z_][A-Za-z0-9_]*\([^()]*\)|[A-Za-z_][A-Za-z0-9_]*)")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def _atom(tok: str) -> bool:
    m = re.fullmatch(r"(\w+)\((.*)\)", tok)
    if not m:
        if tok in ("true", "false"):
            return tok == "true"
        return False  # custom -D flags (DEBUG, ...) are unset
    name, arg = m.group(1), m.group(2).strip()
    if name in ("swift", "compiler"):
        op, ver = re.fullmatch(r"(>=|<)\s*([\d.]+)", arg).groups()
        return (SWIFT_VERSION >= _version(ver)) == (op == ">=")
    if name == "canImport":
        return True
    if name == "os":
        return arg == OS
    if name == "arch":
        return arg == ARCH
    if name == "targetEnvironment":
        return False
    raise ValueError(f"unknown condition {tok}")


def evaluate(cond: str) -> bool:
    """Evaluates a `#if` condition (`!`, `&&`, `||`, parentheses, atoms)."""
    tokens = []
    pos = 0
    while pos < len(cond.rstrip()):
        m = _TOKEN.match(cond, pos)
        if not m:
            raise ValueError(f"cannot read condition {cond!r}")
        tokens.append(m.group(1))
        pos = m.end()

    def expr(i: int) -> tuple[bool, int]:
        v, i = term(i)
        while i < len(tokens) and tokens[i] == "||":
            r, i = term(i + 1)
            v = v or r
        return v, i

    def term(i: int) -> tuple[bool, int]:
        v, i = factor(i)
        while i < len(tokens) and tokens[i] == "&&":
            r, i = factor(i + 1)
            v = v and r
        return v, i

    def factor(i: int) -> tuple[bool, int]:
        if tokens[i] == "!":
            v, i = factor(i + 1)
            return not v, i
        if tokens[i] == "(":
            v, i = expr(i + 1)
            return v, i + 1
        return _atom(tokens[i]), i + 1

    value, end = expr(0)
    if end != len(tokens):
        raise ValueError(f"trailing tokens in {cond!r}")
    return value


def resolve_directives(source: str) -> str:
    """Keeps the active branch of every `#if` block; blanks the rest."""
    out = []
    # Each frame: (this branch active, some branch already taken, parent active).
    stack: list[tuple[bool, bool, bool]] = []
    active = True
    for line in source.splitlines():
        s = line.strip()
        if s.startswith("#if "):
            taken = active and evaluate(s[4:])
            stack.append((taken, taken, active))
            active = taken
            out.append("")
        elif s.startswith("#elseif "):
            _, done, parent = stack.pop()
            now = parent and not done and evaluate(s[8:])
            stack.append((now, done or now, parent))
            active = now
            out.append("")
        elif s == "#else":
            _, done, parent = stack.pop()
            now = parent and not done
            stack.append((now, True, parent))
            active = now
            out.append("")
        elif s == "#endif":
            _, _, parent = stack.pop()
            active = parent
            out.append("")
        else:
            out.append(line if active else "")
    if stack:
        raise ValueError("unterminated #if")
    return "\n".join(out) + "\n"


PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_swift.language()))


# Valid Swift the grammar cannot parse, with an equivalent it can. uniffi emits
# `let writeReturn = { () }` (a closure returning the empty tuple) for callback
# methods that return Void; tree-sitter-swift rejects the bare `()` body, and
# `{ Void() }` is the same closure (columns after it on that line shift by 4).
GRAMMAR_GAPS = [("= { () }", "= { Void() }")]


def syntax_errors(source: str) -> list[str]:
    """ERROR/MISSING nodes of `source` as `line:col: text` strings."""
    for valid, parsable in GRAMMAR_GAPS:
        source = source.replace(valid, parsable)
    data = resolve_directives(source).encode()
    tree = PARSER.parse(data)
    found: list[str] = []

    def walk(node: tree_sitter.Node) -> None:
        if node.is_error or node.is_missing:
            row, col = node.start_point
            snippet = data[node.start_byte : node.end_byte][:80].decode(errors="replace")
            kind = "missing " + node.type if node.is_missing else "error"
            found.append(f"{row + 1}:{col + 1}: {kind}: {snippet!r}")
            return
        if node.has_error:
            for child in node.children:
                walk(child)

    walk(tree.root_node)
    return found


def main() -> int:
    here = Path(__file__).resolve().parent.parent
    generated = here / "generated" / "swift"
    package = here / "swift"
    files = [
        generated / "LpConfig.swift",
        package / "Package.swift",
        package / "Sources" / "Example" / "main.swift",
        package / "Tests" / "LpConfigTests" / "LpConfigTests.swift",
    ]
    passed = failed = 0

    def report(ok: bool, name: str, detail: str = "") -> None:
        nonlocal passed, failed
        passed += ok
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")

    for path in files:
        if not path.is_file():
            report(False, str(path.relative_to(here)), "missing (run generate.sh)")
            continue
        text = path.read_text(encoding="utf-8")
        try:
            errors = syntax_errors(text)
        except ValueError as e:
            report(False, str(path.relative_to(here)), str(e))
            continue
        lines = text.count("\n")
        report(not errors, f"{path.relative_to(here)} ({lines} lines)", "; ".join(errors[:5]))

    # Labels of calls into the generated API, which a parse alone cannot catch.
    api_file = files[0]
    if api_file.is_file():
        api_tree = PARSER.parse(resolve_directives(api_file.read_text(encoding="utf-8")).encode())
        api = swift_api.declarations(api_tree.root_node)
        for path in files[2:]:
            tree = PARSER.parse(resolve_directives(path.read_text(encoding="utf-8")).encode())
            checked, bad = swift_api.check_calls(tree.root_node, api)
            name = f"{path.relative_to(here)}: {checked} calls match the generated labels"
            report(checked > 0 and not bad, name, "; ".join(bad[:5]))
        wrong = "let u = try await users.update(item: changed, ifMatch: .any)\n"
        _, bad = swift_api.check_calls(PARSER.parse(wrong.encode()).root_node, api)
        report(len(bad) == 1, "a call with a wrong label is rejected")

    # SwiftPM refuses unsafeFlags in a dependency; the FFI must come as a binary target.
    manifest = files[1]
    if manifest.is_file():
        code = "\n".join(line.split("//")[0] for line in manifest.read_text(encoding="utf-8").splitlines())
        ok = "unsafeFlags" not in code and '.binaryTarget(name: "LpConfigFFI"' in code
        report(ok, "Package.swift: no unsafeFlags, LpConfigFFI is a binaryTarget")

    # The checker must reject broken Swift, or every pass above means nothing.
    broken = "func f(a: Int {\n  let x = \n}\n#if swift(>=5.8)\nstruct S { var }\n#endif\n"
    report(len(syntax_errors(broken)) >= 2, "a broken snippet is rejected")

    header = generated / "LpConfigFFI.h"
    cc = shutil.which("clang") or shutil.which("cc") or shutil.which("gcc")
    if cc and header.is_file():
        # Clang's nullability qualifiers mean nothing to gcc; erase them there.
        nullability = (
            [] if "clang" in Path(cc).name else ["-D_Nullable=", "-D_Nonnull=", "-D_Null_unspecified="]
        )
        r = subprocess.run(
            [cc, "-fsyntax-only", "-std=c11", "-Wall", "-Werror", *nullability, "-x", "c", "-"],
            input=f'#include "{header}"\n',
            capture_output=True,
            text=True,
            check=False,
        )
        report(r.returncode == 0, "LpConfigFFI.h compiles as C11", r.stderr.strip()[:300])
    else:
        report(False, "LpConfigFFI.h compiles as C11", "no C compiler or header")
    modulemap = generated / "LpConfigFFI.modulemap"
    ok = modulemap.is_file() and 'header "LpConfigFFI.h"' in modulemap.read_text()
    report(ok, "LpConfigFFI.modulemap names the header")

    print(f"swift-parse: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
