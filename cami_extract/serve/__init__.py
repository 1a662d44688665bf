"""Serving the store to other tools: the W3C Reconciliation Service API (``reconcile.py``).

Datasette 0.65.5 is the intended browser for the tables (docs/serve.md) but is not in the lock;
until it is, `cami serve` runs the reconciliation endpoint alone, on the standard library.
"""
