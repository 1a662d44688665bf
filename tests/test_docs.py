"""The docs stay true: generated CLI reference, every setting and every error code documented."""

import re
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


def _schema_doc_tables() -> dict[str, list[str]]:
    """Field names per export table, in order, as docs/schema.md lists them."""
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    tables: dict[str, list[str]] = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        name = section.split()[0]
        # field rows: below the "| field | type | meaning |" header of the section's table
        rows = re.findall(r"^\| ([a-z0-9_, ]+) \| (?!type \|)", section, flags=re.M)
        tables[name] = [f.strip() for row in rows for f in row.split(",")]
    return tables


def test_schema_doc_lists_every_export_field_in_order():
    from cami_extract.export import FIELDS

    documented = _schema_doc_tables()
    for table, fields_ in FIELDS.items():
        assert documented[table] == [name for name, _ in fields_], f"docs/schema.md section {table}"


def test_database_tables_and_columns_carry_the_export_names_or_are_documented_as_database_only():
    from cami_extract.export import FIELDS
    from cami_extract.store.schema import Base

    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    database_only: set[tuple[str, str]] = set()
    for table, columns in re.findall(r"^\| ([a-z_]+) \| ([a-z0-9_, ]+) \| ", text.split("## The database")[1], re.M):
        database_only |= {(table, c.strip()) for c in columns.split(",")}
    for table in Base.metadata.sorted_tables:
        exported = {name for name, _ in FIELDS.get(table.name, [])}
        for column in table.columns:
            assert column.name in exported or (table.name, column.name) in database_only, (
                f"{table.name}.{column.name}: name it as the export does, or document it in docs/schema.md"
            )
    built_from = dict(re.findall(r"`([a-z_]+)` from `([a-z_]+)`", text.split("## The database")[1]))
    tables = {t.name for t in Base.metadata.sorted_tables}
    for export_table in FIELDS:
        assert export_table in tables or built_from.get(export_table) in tables, (
            f"export {export_table}: no table of that name, and docs/schema.md does not say what it is built from"
        )
