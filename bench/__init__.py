"""Benchmarks: ``python -m bench`` (all of them, side by side with their peers) or
``python -m bench.NAME`` for one (reader, store_add, layout, export)."""
