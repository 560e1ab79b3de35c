"""The access rule is written once: apps/core/access.py.

No other module reads what kind of user someone is to decide what they may see or do:
every selector starts from `access.restrict`, every write asks `access.require`,
`access.require_allowed` or `access.can`, and pages and the API use the same. A rule
written twice drifts (issue 14 found an interview slot's meeting link readable through
the API while the page hid it), so this test reads every module for the pattern.
"""

import ast
import re
from pathlib import Path

APPS = Path(__file__).resolve().parent.parent.parent / "apps"
# The one module that decides, the model that defines `kind`, the demo (which plays every
# actor to build its world) and migrations (history).
ALLOWED = {"core/access.py", "core/models.py"}
SKIPPED_PARTS = {"migrations", "demo"}

# Someone's kind: `user.kind`, `by.kind`, `request.user.kind`, `user.organisation.kind`,
# `membership.organisation.kind`, `user.person_role`...
PERSON = re.compile(
    r"(^|\.)(user|by|viewer|reader|person|actor|assignee|member|membership|staff|someone"
    r"|request\.user)(\.organisation)?$"
)


def offenders() -> list[str]:
    found = []
    for path in sorted(APPS.rglob("*.py")):
        relative = path.relative_to(APPS).as_posix()
        if relative in ALLOWED or SKIPPED_PARTS & set(path.relative_to(APPS).parts):
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("kind", "person_role"):
                owner = ast.unparse(node.value)
                if PERSON.search(owner):
                    found.append(f"apps/{relative}:{node.lineno}: {ast.unparse(node)}")
            elif isinstance(node, ast.FunctionDef) and node.name in ("_kind", "_require_kind"):
                found.append(f"apps/{relative}:{node.lineno}: def {node.name}")
    return found


def test_only_the_access_module_decides_by_kind():
    assert offenders() == []


def test_the_check_would_catch_a_kind_test():
    """The pattern finds what it is meant to find (a check that can fail)."""
    tree = ast.parse("if request.user.kind == Kind.CLAIR or by.organisation.kind: pass")
    owners = [
        ast.unparse(n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and n.attr == "kind"
    ]
    assert owners
    assert all(PERSON.search(owner) for owner in owners)
    assert not PERSON.search("event.organiser")
