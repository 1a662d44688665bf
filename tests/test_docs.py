"""The docs stay true: generated CLI reference, every setting and every error code documented."""

from dataclasses import fields

from cami_extract.config import Settings
from cami_extract.errors import ALL_ERRORS
from docs.make_cli_docs import render
from tests.conftest import ROOT


def test_cli_reference_is_regenerated_from_help():
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == render(), "run: python docs/make_cli_docs.py"


def test_every_setting_is_documented():
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for f in fields(Settings):
        assert f"| {f.name} | CAMI_{f.name.upper()} |" in text


def test_every_error_code_is_documented():
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for cls in ALL_ERRORS:
        if cls.code != "E000":
            assert f"| {cls.code} | `{cls.reason}` |" in text


def test_the_readme_names_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = "\n".join(readme.splitlines()[:40])
    assert "make run" in first_screen and "make test" in first_screen
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
