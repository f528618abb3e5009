"""Positions of columns and cards as fractional-index keys.

A key between two neighbours is always found without renumbering the others, so a
move writes one row. Keys compare byte-wise (Python's str order, PostgreSQL's "C"
collation, SQLite's BINARY).
"""

from fractional_indexing import generate_key_between, generate_n_keys_between


def key_between(before: str | None, after: str | None) -> str:
    """A key that sorts after `before` and before `after` (either may be None)."""
    if before is not None and after is not None and before >= after:
        # Equal neighbours can only come from data written outside the services;
        # place after `before` rather than fail.
        after = None
    return generate_key_between(before, after)


def keys_after(last: str | None, count: int) -> list[str]:
    return generate_n_keys_between(last, None, count)
