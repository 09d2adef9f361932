"""Checks that calls in hand-written Swift use the generated API's labels.

Without a compiler, a wrong argument label (`users.update(item:)` instead of
`update(user:ifMatch:)`) would pass a parse check. This collects every
function, initializer and enum case declared in the generated Swift with its
parameter labels and defaults, then checks each call in the example/test files
whose callee name the generated API declares: its labels must be those of one
declaration, in order, skipping only parameters that have defaults. Calls to
names the API does not declare (print, XCTAssert...) are not checked.
"""

from __future__ import annotations

from collections import defaultdict

import tree_sitter

Param = tuple[str, bool]  # (label, has default)


def _text(node: tree_sitter.Node) -> str:
    return node.text.decode()


def _params(decl: tree_sitter.Node) -> list[Param]:
    params: list[Param] = []
    for i, child in enumerate(decl.children):
        if child.type == "parameter":
            ext = child.child_by_field_name("external_name")
            label = _text(ext) if ext is not None else _text(child.named_children[0])
            params.append((label, False))
        elif decl.field_name_for_child(i) == "default_value" and params:
            params[-1] = (params[-1][0], True)
    return params


def _enclosing_type(node: tree_sitter.Node) -> str | None:
    while node is not None:
        if node.type in ("class_declaration", "protocol_declaration"):
            name = node.child_by_field_name("name")
            return _text(name) if name is not None else None
        node = node.parent
    return None


def declarations(root: tree_sitter.Node) -> dict[str, list[list[Param]]]:
    """Callable name -> parameter lists (inits under their type's name)."""
    found: dict[str, list[list[Param]]] = defaultdict(list)

    def walk(node: tree_sitter.Node) -> None:
        if node.type == "function_declaration":
            name = node.child_by_field_name("name")
            if name is not None:
                found[_text(name)].append(_params(node))
        elif node.type == "init_declaration":
            owner = _enclosing_type(node)
            if owner:
                found[owner].append(_params(node))
        elif node.type == "enum_entry":
            names = [c for c in node.children if c.type == "simple_identifier"]
            data = [c for c in node.children if c.type == "enum_type_parameters"]
            if names:
                labels: list[Param] = []
                if data:
                    kids = data[0].children
                    for j, c in enumerate(kids):
                        if c.type == "simple_identifier" and j + 1 < len(kids) and _text(kids[j + 1]) == ":":
                            labels.append((_text(c), False))
                found[_text(names[0])].append(labels)
        for child in node.children:
            walk(child)

    walk(root)
    return found


def _matches(call: list[str | None], params: list[Param]) -> bool:
    i = 0
    for label, has_default in params:
        if i < len(call) and call[i] == (None if label == "_" else label):
            i += 1
        elif not has_default:
            return False
    return i == len(call)


def check_calls(root: tree_sitter.Node, api: dict[str, list[list[Param]]]) -> tuple[int, list[str]]:
    """(calls checked, mismatches as `line: text`)."""
    checked = 0
    bad: list[str] = []

    def callee(call: tree_sitter.Node) -> str | None:
        target = call.named_children[0]
        if target.type == "simple_identifier":
            return _text(target)
        if target.type == "navigation_expression":
            suffix = target.child_by_field_name("suffix")
            name = suffix.child_by_field_name("suffix") if suffix is not None else None
            return _text(name) if name is not None else None
        if target.type == "prefix_expression":  # `.revision(revision:)`
            inner = target.child_by_field_name("target")
            return _text(inner) if inner is not None else None
        return None

    def walk(node: tree_sitter.Node) -> None:
        nonlocal checked
        if node.type == "call_expression":
            name = callee(node)
            suffix = next((c for c in node.named_children if c.type == "call_suffix"), None)
            args = (
                next((c for c in suffix.named_children if c.type == "value_arguments"), None)
                if suffix
                else None
            )
            if name in api and args is not None:
                labels: list[str | None] = []
                for arg in args.named_children:
                    if arg.type == "value_argument":
                        lab = arg.child_by_field_name("name")
                        labels.append(_text(lab).rstrip(":").strip() if lab is not None else None)
                checked += 1
                if not any(_matches(labels, p) for p in api[name]):
                    shown = ", ".join(f"{lab}:" if lab else "_" for lab in labels)
                    bad.append(f"{node.start_point[0] + 1}: {name}({shown}) matches no generated declaration")
        for child in node.children:
            walk(child)

    walk(root)
    return checked, bad
