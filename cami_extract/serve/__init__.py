"""Serving the store to other tools: `cami serve`.

``site.py`` runs Datasette 0.65.5 over the database (read-only) with ``metadata.py``'s
descriptions, and mounts the W3C Reconciliation Service API of ``reconcile.py`` in the same
server (docs/serve.md).
"""
