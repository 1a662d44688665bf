"""Only what setup.cfg cannot say: files from outside the package that the package reads.

The spaCy pipeline configs live at the repository's top level, where users look for them; in
the wheel they are package data of ``cami_extract.pipelines`` (read with importlib.resources).
docs/schema.md, the one description of every table and column, is copied into the wheel as
``cami_extract/schema.md``: `cami serve` shows its descriptions in Datasette (serve/metadata.py).
"""

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

SCHEMA_DOC = Path("docs") / "schema.md"


class BuildWithSchemaDoc(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads docs/schema.md from the checkout
        target = Path(self.build_lib) / "cami_extract"
        self.mkpath(str(target))
        self.copy_file(str(SCHEMA_DOC), str(target / "schema.md"))


setup(
    packages=[*find_packages(include=["cami_extract", "cami_extract.*"]), "cami_extract.pipelines"],
    package_dir={"cami_extract.pipelines": "pipelines"},
    cmdclass={"build_py": BuildWithSchemaDoc},
)
