"""cami-extract: mine CMS meeting papers into a provenance-keeping store."""

__version__ = "0.1.0"
