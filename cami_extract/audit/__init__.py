"""Reading the store for people: queries (``query.py``), full-text search (``search.py``) and the
audit page (``report.py``, charts in ``charts.py``). Nothing here writes content; the search
index is derived data the store can rebuild at any time.
"""
