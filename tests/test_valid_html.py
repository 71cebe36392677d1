"""Every page type is valid HTML for the Nu Html Checker (the vnu-jar npm package, installed by
`make test`). htmx's own hx-* attributes are the one accepted exception."""

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from .pages import page_types

VNU = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"
JAVA = shutil.which("java")
missing = [what for what, ok in (("vnu.jar (npm ci)", VNU.exists()), ("java", JAVA)) if not ok]
if missing and os.environ.get("CI_REQUIRE_BROWSER"):
    raise RuntimeError(f"The HTML check needs {', '.join(missing)}; make test installs vnu.jar.")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)} (make test)"),
]


def htmx_attribute(message: dict) -> bool:
    return message["message"].startswith("Attribute “hx-")


def validate(documents: dict[str, bytes], folder: Path) -> dict[str, list[str]]:
    paths = []
    for name, html in documents.items():
        path = folder / f"{name}.html"
        path.write_bytes(html)
        paths.append(str(path))
    result = subprocess.run(
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stderr)
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        if htmx_attribute(message):
            continue
        name = Path(message.get("url", "?")).stem
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message['message']} [{message.get('extract', '')}]"
        )
    return errors


def test_every_page_type_is_valid_html(staff_client, tmp_path):
    call_command("loaddata", "leadit", verbosity=0)
    call_command("populate_history", auto=True, stdout=io.StringIO())
    documents = {}
    for name, url in page_types().items():
        response = staff_client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        documents[name] = response.content
    documents["login"] = Client().get("/accounts/login/").content
    errors = validate(documents, tmp_path)
    # The first few errors of each page are enough to fix them.
    shown = {name: found[:3] + [f"... {len(found)} in all"] for name, found in errors.items()}
    assert not errors, json.dumps(shown, indent=1, ensure_ascii=False)


def test_the_checker_does_find_errors(tmp_path):
    # The check above must be able to fail: a broken document is reported, hx-* is not.
    errors = validate(
        {
            "broken": b'<!doctype html><html lang="en"><head><title>x</title></head>'
            b'<body><div hx-get="/x"><p>a</b></div></body></html>'
        },
        tmp_path,
    )
    assert list(errors) == ["broken"] and not any("hx-get" in e for e in errors["broken"])
