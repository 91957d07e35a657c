"""The SQL of what dbt and the table rules read from raw: views over parsed rows and bulk files in place.

raw.<feed>           every row of the feed: `raw.<feed>__parsed` (files parsed in Python) plus every bulk file
                     in the ledger, read in place by DuckDB (never copied)
raw.<feed>__window   only some months of a feed with a month column, reading only the bulk files that hold them
                     (the ledger knows each file's months): what table rules and incremental dbt models read
raw.<feed>__series   (a table) each loaded file's values per period × series key, for the revision and plausibility
                     rules (orchestration/feeds/gates.py)
Each bulk file's lineage (vintage, source_file, sha256, loaded_at) enters as constants, not a join per row.
"""

import hashlib
import inspect
from datetime import date

import duckdb

from orchestration import ledger
from orchestration.feeds import readers
from orchestration.feeds.spec import FeedSpec, FileFormat
from orchestration.sql import date_list, literal, string_list


def parsed_table(spec: FeedSpec) -> str:
    """Where the rows of a feed's files parsed in Python are kept."""
    return f"raw.{spec.name}__parsed"


def series_table(spec: FeedSpec) -> str:
    """Where a feed with `plausibility` keeps each loaded file's values per period × key (feeds/gates.py)."""
    return f"raw.{spec.name}__series"


def files_sql(spec: FeedSpec, source_files: list[str], con: duckdb.DuckDBPyConnection) -> str:
    """The rows of these files only (by `source_file`): their parsed rows and their bulk files, read in place."""
    names = f"{string_list(source_files)}::VARCHAR[]"
    parts = [f"SELECT * FROM {parsed_table(spec)} WHERE list_contains({names}, source_file)"]
    parts += [
        bulk_file_sql(spec, fmt, file)
        for fmt in spec.bulk_formats
        for file in ledger.bulk_files(con, spec.name, fmt.name)
        if file.source_file in source_files
    ]
    return "\nUNION ALL\n".join(parts)


def bulk_file_sql(spec: FeedSpec, fmt: FileFormat, file: ledger.LedgerRow) -> str:
    """The rows of one bulk file, read in place and typed as the feed's table columns."""
    return f"""SELECT * FROM (SELECT {spec.select}, DATE {literal(file.vintage)}, {literal(file.source_file)},
        f.source_row, {literal(file.sha256)}, TIMESTAMP {literal(file.loaded_at)}
        FROM ({fmt.scan(string_list([file.path]))}) AS f) AS b({", ".join(spec.table_columns)})"""


def feed_view_sql(spec: FeedSpec, con: duckdb.DuckDBPyConnection) -> str:
    """`CREATE OR REPLACE VIEW raw.<feed>`: the parsed rows plus every bulk file in the ledger."""
    parts = [f"SELECT * FROM {parsed_table(spec)}"]
    parts += [
        bulk_file_sql(spec, fmt, file)
        for fmt in spec.bulk_formats
        for file in ledger.bulk_files(con, spec.name, fmt.name)
    ]
    return f"CREATE OR REPLACE VIEW raw.{spec.name} AS " + "\nUNION ALL\n".join(parts)


def window_sql(spec: FeedSpec, months: list[date], con: duckdb.DuckDBPyConnection) -> str:
    """The rows of `months`, reading only the bulk files that hold one of them; a file wholly inside
    the window is read without a month filter."""
    if not months:
        return f"SELECT * FROM {parsed_table(spec)} WHERE false"
    keep = f"WHERE {spec.month_column} IN ({date_list(months)})"
    parts = [f"SELECT * FROM {parsed_table(spec)} {keep}"]
    for fmt in spec.bulk_formats:
        for file in ledger.bulk_files(con, spec.name, fmt.name, months):
            inside = set(file.months) <= set(months)
            parts.append(f"SELECT * FROM ({bulk_file_sql(spec, fmt, file)})" + ("" if inside else f" {keep}"))
    return "\nUNION ALL\n".join(parts)


def create_window_view(spec: FeedSpec, months: list[date], con: duckdb.DuckDBPyConnection) -> None:
    """`raw.<feed>__window`: the months an incremental dbt build recomputes."""
    con.execute(f"CREATE OR REPLACE VIEW raw.{spec.name}__window AS {window_sql(spec, months, con)}")


def parser_digest(spec: FeedSpec) -> str:
    """A digest of the code that turns the feed's files into rows: its spec's columns and the modules of its
    formats' parsers and of the readers."""
    modules = {inspect.getmodule(readers)} | {inspect.getmodule(f.parse) for f in spec.formats if f.parse}
    code = "".join(sorted(inspect.getsource(m) for m in modules if m)) + repr(spec.table_columns)
    return "parser " + hashlib.sha256(code.encode()).hexdigest()[:16]


def table_comment(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    schema, name = table.split(".")
    found = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, name]
    ).fetchall()
    return found[0][0] if found else None
