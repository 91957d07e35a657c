"""SQL text built from Python values: every literal and identifier the warehouse interpolates goes through here."""

from collections.abc import Iterable


def literal(value) -> str:
    """`value` (text, a path, a date) as a SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def identifier(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def string_list(values: Iterable) -> str:
    """A SQL list of string literals, e.g. the paths of files for read_parquet()."""
    return "[" + ", ".join(literal(v) for v in values) + "]"


def date_list(values: Iterable) -> str:
    """Comma-separated DATE literals, for `IN (…)`."""
    return ", ".join(f"DATE {literal(v)}" for v in values)
