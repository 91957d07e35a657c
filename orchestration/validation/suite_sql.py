"""The GX suite of a feed, run as SQL inside DuckDB on a bulk file that is never loaded into pandas.

GX 1.x cannot validate DuckDB (its SQL path fails there), and pandas cannot hold 50M rows on a laptop,
so each expectation of `expectations/<feed>.json` is compiled to the SQL predicate of a failing row
and evaluated in one pass per file, counted per month. Same rules, same rule texts
(`meta.rule`), same errors (file, rule, rows) as the GX run on parsed files; tests/test_scale.py checks
that both engines reject the same bad rows. An expectation type not listed here fails loudly.
"""

import re
from dataclasses import dataclass

import duckdb

from orchestration.feeds.spec import FeedError
from orchestration.sql import identifier, literal
from orchestration.validation.gx_suites import suite_spec

SHOWN_ROWS = 10
BATCH_ROWS = 10_000_000  # rows per uniqueness pass: ~0.4 GB of hash table


@dataclass
class SuiteRun:
    """What one file's validation found: rows per month ('YYYY-MM'), rules evaluated, failures."""

    rows_per_month: dict[str, int]
    evaluated: int
    failures: list[FeedError]


def row_predicate(expectation: dict) -> str | None:
    """SQL that is true for a row breaking `expectation`; None for rules that are not row rules."""
    kind, kw = expectation["type"], expectation["kwargs"]
    predicate = _predicate(kind, kw)
    if predicate and "row_condition" in kw:
        return f"({_condition(kind, kw)}) AND ({predicate})"
    return predicate


def _condition(kind: str, kw: dict) -> str:
    """A pandas row_condition of the forms the suites use, `column=="text"` or `column!="text"` joined by `and`, as
    SQL."""
    parts = [re.fullmatch(r'\s*(\w+)\s*(==|!=)\s*"([^"]*)"\s*', part) for part in kw["row_condition"].split(" and ")]
    if kw.get("condition_parser") != "pandas" or not all(parts):
        raise ValueError(f'{kind}: only a pandas row_condition of column=="text" / != joined by and is compiled to SQL')
    return " AND ".join(
        f"{identifier(m.group(1))} {'=' if m.group(2) == '==' else 'IS DISTINCT FROM'} {literal(m.group(3))}"
        for m in parts
    )


def _predicate(kind: str, kw: dict) -> str | None:
    column = identifier(kw["column"]) if "column" in kw else None
    if kind == "expect_column_values_to_not_be_null":
        return f"{column} IS NULL"
    if kind == "expect_column_values_to_be_in_set":
        return f"{column} NOT IN ({', '.join(map(literal, kw['value_set']))})"
    if kind == "expect_column_values_to_match_regex":  # on the few distinct values, not on every row
        return (
            f"{column} IN (SELECT v FROM (SELECT DISTINCT {column} AS v FROM _validated) "
            f"WHERE NOT regexp_matches(v, {literal(kw['regex'])}))"
        )
    if kind == "expect_column_values_to_be_between":
        bounds = [
            f"{column} < {kw['min_value']}" if kw.get("min_value") is not None else None,
            f"{column} > {kw['max_value']}" if kw.get("max_value") is not None else None,
        ]
        return " OR ".join(b for b in bounds if b)
    if kind in ("expect_table_row_count_to_be_between", "expect_compound_columns_to_be_unique"):
        return None
    raise ValueError(f"expectation {kind} has no SQL form (orchestration/validation/suite_sql.py)")


def validate_relation(
    suite_name: str, relation: str, file: str, month_column: str, con: duckdb.DuckDBPyConnection
) -> SuiteRun:
    """Run suite `suite_name` on `relation` (a SELECT of one file's normalized rows, with `source_row`)."""
    rules = [(e, row_predicate(e)) for e in suite_spec(suite_name)["expectations"]]
    counts = [f"count(*) FILTER (WHERE {p})" for _, p in rules if p]
    con.execute(f"CREATE OR REPLACE TEMP VIEW _validated AS {relation}")
    per_month = con.execute(
        f"SELECT {identifier(month_column)}, count(*), {', '.join(counts) or '0'} FROM _validated GROUP BY ALL"
    ).fetchall()
    rows_per_month = {str(r[0]): r[1] for r in per_month}
    bad = iter([sum(r[2 + i] for r in per_month) for i in range(len(counts))])
    failures = []
    for expectation, predicate in rules:
        rule = expectation.get("meta", {}).get("rule", expectation["type"])
        if predicate:
            n = next(bad)
            if n:
                failures.append(_rows_failing(con, file, rule, n, f"WHERE {predicate}"))
        elif expectation["type"] == "expect_table_row_count_to_be_between":
            rows, low = sum(rows_per_month.values()), expectation["kwargs"].get("min_value") or 0
            if rows < low:
                failures.append(FeedError(file, rule, f"observed {rows}"))
        else:  # compound unique, a batch of months at a time (memory stays bounded): hash, confirm exactly
            key = ", ".join(map(identifier, expectation["kwargs"]["column_list"]))
            for months in _batches(rows_per_month):
                in_batch = f"{identifier(month_column)} IN ({', '.join(map(literal, months))})"
                where = (
                    f"WHERE {in_batch} AND hash({key}) IN "
                    f"(SELECT hash({key}) AS h FROM _validated WHERE {in_batch} GROUP BY h HAVING count(*) > 1) "
                    f"QUALIFY count(*) OVER (PARTITION BY {key}) > 1"
                )
                n = con.execute(f"SELECT count(*) FROM (SELECT 1 FROM _validated {where})").fetchone()[0]
                if n:
                    failures.append(_rows_failing(con, file, rule, n, where))
                    break
    con.execute("DROP VIEW _validated")
    return SuiteRun(rows_per_month, len(rules), failures)


def _batches(rows_per_month: dict[str, int]) -> list[list[str]]:
    """Months grouped into batches of at most BATCH_ROWS rows (a bigger month is its own batch)."""
    batches, rows = [[]], 0
    for key, n in sorted(rows_per_month.items()):
        if batches[-1] and rows + n > BATCH_ROWS:
            batches.append([])
            rows = 0
        batches[-1].append(key)
        rows += n
    return batches


def _rows_failing(con: duckdb.DuckDBPyConnection, file: str, rule: str, count: int, where: str) -> FeedError:
    shown = con.execute(
        f"SELECT * EXCLUDE (path) FROM (SELECT * FROM _validated {where}) ORDER BY source_row LIMIT {SHOWN_ROWS}"
    ).df()
    rows = [int(r) for r in shown["source_row"]]
    detail = "; ".join(
        ", ".join(f"{k}={v!r}" for k, v in rec.items() if k != "source_row" and v == v)
        for rec in shown.head(3).to_dict("records")
    )
    return FeedError(file, rule, f"{count:,} row(s); {detail}", rows)
