"""The dependency rule between the apps, checked on the code itself."""

import ast
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(folder: Path) -> dict[str, set[str]]:
    found = {}
    for path in folder.rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_members_imports_nothing_from_partnerships():
    offending = {
        path: sorted(n for n in names if n.split(".")[0] == "partnerships")
        for path, names in imported_modules(ROOT / "members").items()
    }
    assert not {path: names for path, names in offending.items() if names}


def test_members_reaches_no_partnerships_record_through_reverse_relations():
    """Member and organisation pages get partnerships' records from panels partnerships
    registers (leadit.sections.panels), not by following its relations from members' code."""
    reverse_names = {
        relation.get_accessor_name()
        for model in apps.get_app_config("members").get_models()
        for relation in model._meta.related_objects
        if relation.related_model._meta.app_label == "partnerships"
    }
    assert "sponsored_projects" in reverse_names  # the check looks for the right names
    code = [*(ROOT / "members").rglob("*.py"), *(ROOT / "templates" / "members").rglob("*.html")]
    uses = {
        str(path.relative_to(ROOT)): sorted(
            n for n in reverse_names if re.search(rf"[.\"'_]{n}\b", path.read_text())
        )
        for path in code
        if "migrations" not in path.parts
    }
    assert not {path: names for path, names in uses.items() if names}


def test_the_model_agnostic_pattern_imports_no_app():
    """leadit.sections serves every section and knows none of them."""
    offending = {
        path: sorted(n for n in names if n.split(".")[0] in ("members", "partnerships"))
        for path, names in imported_modules(ROOT / "leadit" / "sections").items()
    }
    assert not {path: names for path, names in offending.items() if names}


def test_no_template_comment_spans_lines():
    """Django's {# #} comment ends at the line: a two-line one is printed on the page."""
    spanning = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if re.search(r"\{#(?:(?!#\}).)*\n", path.read_text())
    ]
    assert not spanning


def test_registering_the_panels_again_does_not_show_them_twice():
    from leadit.sections.panels import _PANELS
    from members.models import Member
    from partnerships import panels

    before = len(_PANELS[Member])
    panels.register()  # what a second ready() would do
    assert len(_PANELS[Member]) == before == 4
