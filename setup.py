"""Only what setup.cfg cannot say: the top-level pipelines/ folder ships as cami_extract.pipelines.

The spaCy pipeline configs live at the repository's top level, where users look for them; in
the wheel they are package data of ``cami_extract.pipelines`` (read with importlib.resources).
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["cami_extract", "cami_extract.*"]), "cami_extract.pipelines"],
    package_dir={"cami_extract.pipelines": "pipelines"},
)
