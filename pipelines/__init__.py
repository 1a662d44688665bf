"""spaCy pipeline configs; installed as the package ``cami_extract.pipelines`` (see setup.py)."""
