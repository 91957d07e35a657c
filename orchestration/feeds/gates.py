"""The table rules a feed spec declares by its fields, generated here once for every feed (README, "Gates").

  period not after the file's vintage        `period`: a period that starts after the file's vintage (or after
                                             the day the file arrived) cannot be in it: a mistyped year
  period not before the feed's start         `earliest_period`, the feed's documented start
  release date not after the file's vintage  `release_date`
  revision within tolerance                  `plausibility`: a newer vintage of a known value moves by at most
                                             the tolerance of its kind (world, group, country) or the floor
  new period plausible against the last N    `plausibility`: a first release within `band` × the median of
                                             the same series over the N periods before it

Each is a SqlCheck like the hand-written ones: it selects the offending rows of the files loaded in this run
(`{changed}`) with `source_file`, `source_row` and a message `why`, in the load's transaction, on the changed
months. The last two read `{series}`: the feed's values per period × key × vintage × file, aggregated once when
a file is loaded (`series_insert_sql`, kept in `raw.<feed>__series`), so that a bulk file of 50M product rows is
compared as month × partner × flow aggregates, never row by row, and a new month's history costs no raw read.
The period rules of a feed loaded month by month first ask the ledger's months of each file (`guard`): a file
whose months are all possible is not read at all.
"""

from datetime import date

from orchestration.feeds.spec import FeedSpec, Plausibility, SqlCheck
from orchestration.ledger import PARTNER_KINDS
from orchestration.sql import literal

REVISION = "revision within tolerance"
FREQUENCY = "frequency"  # a series key of that name is said by the period label (`_label`)
PERIOD_AFTER_VINTAGE = "period not after the file's vintage"
RELEASE_AFTER_VINTAGE = "release date not after the file's vintage"
# The day a row's file could have been written at the latest: its vintage, unless it arrived earlier.
_KNOWN_BY = "least(vintage, CAST(loaded_at AS DATE))"
_KNOWN_BY_TEXT = (
    "CASE WHEN vintage <= CAST(loaded_at AS DATE) THEN 'the file''s vintage ' || strftime(vintage, '%Y-%m-%d') "
    "ELSE 'the day the file arrived, ' || strftime(CAST(loaded_at AS DATE), '%Y-%m-%d') END"
)
# value / reference near these factors: the file is in the wrong unit (README, "Gates")
UNIT_SLIPS = ((1e3, "thousand"), (1e6, "million"))
SLIP_MARGIN = (0.7, 1.5)  # new / reference within [1/(1.5 k), 1/(0.7 k)]: "looks like <unit> k"


def table_rules(spec: FeedSpec) -> tuple[SqlCheck, ...]:
    """The feed's hand-written checks, then the rules its fields declare."""
    return (*spec.checks, *period_rules(spec), *(series_rules(spec) if spec.plausibility else ()))


def period_label(period: str, step: str = "1") -> str:
    """SQL: a period as people write it (YYYY-MM, or YYYY for annual series)."""
    return f"CASE WHEN {step} = 12 THEN strftime({period}, '%Y') ELSE strftime({period}, '%Y-%m') END"


def _step(spec: FeedSpec) -> str:
    """How the period rules write a period: as a year for annual feeds, else as a month."""
    return "12" if spec.plausibility and spec.plausibility.step_months == 12 else "1"


def _period_rows(spec: FeedSpec, bad_file: str, bad_row: str, why: str, rule: str) -> SqlCheck:
    """Rows of changed files where `bad_row` (SQL over a raw row and its `gate_period`) holds. A feed loaded
    month by month reads them only if the ledger's months of a changed file (`bad_file`, SQL over a ledger row
    and its `first` and `last` month) can break the rule: a 50M-row file that passes costs a ledger lookup."""
    guard = None
    if spec.month_column:
        guard = f"""SELECT 1 FROM (SELECT *, list_min(months) AS first, list_max(months) AS last FROM {{ledger}}
                    WHERE feed = {literal(spec.name)} AND list_contains({{changed}}, source_file)) WHERE {bad_file}"""
    return SqlCheck(
        rule,
        f"""SELECT source_file, source_row, {why} AS why
            FROM (SELECT *, CAST({spec.period_sql} AS DATE) AS gate_period FROM {{table}}
                  WHERE list_contains({{changed}}, source_file))
            WHERE {bad_row}
            ORDER BY source_file, source_row""",
        guard,
    )


def period_rules(spec: FeedSpec) -> tuple[SqlCheck, ...]:
    rules = []
    if spec.period_sql:
        label = period_label("gate_period", _step(spec))
        rules.append(
            _period_rows(
                spec,
                f"last > {_KNOWN_BY}",
                f"gate_period > {_KNOWN_BY}",
                f"'period ' || {label} || ' starts after ' || {_KNOWN_BY_TEXT}",
                PERIOD_AFTER_VINTAGE,
            )
        )
    if spec.period_sql and spec.earliest_period:
        start = f"DATE {literal(spec.earliest_period)}"
        rules.append(
            _period_rows(
                spec,
                f"first < {start}",
                f"gate_period < {start}",
                f"'period ' || {period_label('gate_period', _step(spec))} || ' is before the feed''s documented "
                f"start, {_start_label(spec.earliest_period, spec)}'",
                f"period not before the feed's start ({_start_label(spec.earliest_period, spec)})",
            )
        )
    if spec.release_date:
        rules.append(
            SqlCheck(
                RELEASE_AFTER_VINTAGE,
                f"""SELECT source_file, source_row,
                           'release date ' || strftime(released, '%Y-%m-%d') || ' is after ' || {_KNOWN_BY_TEXT} AS why
                    FROM (SELECT *, CAST({spec.release_date} AS DATE) AS released FROM {{table}}
                          WHERE list_contains({{changed}}, source_file))
                    WHERE released > {_KNOWN_BY}
                    ORDER BY source_file, source_row""",
            )
        )
    return tuple(rules)


def _start_label(start: date, spec: FeedSpec) -> str:
    return f"{start:%Y}" if _step(spec) == "12" else f"{start:%Y-%m}"


# --- series: revisions and plausibility ----------------------------------------------------------------------


def series_columns(spec: FeedSpec) -> dict[str, str]:
    """The columns of a feed's series table (orchestration.raw_views.series_table): one row per file × period × key
    × vintage, with the file's value and its first row."""
    keys = dict.fromkeys(spec.plausibility.key_names, "VARCHAR")
    return {
        "period": "DATE",
        **keys,
        "vintage": "DATE",
        "source_file": "VARCHAR",
        "value": "DOUBLE",
        "source_row": "INTEGER",
    }


def series_insert_sql(spec: FeedSpec, rows: str) -> str:
    """SELECT of the series rows (`series_columns`) of the raw rows in the relation `rows`: done once per file, when
    it is loaded, so that a new month is compared with its history without reading the history's raw rows again."""
    p = spec.plausibility
    grouped = ", ".join(f"({e}) AS {n}" for e, n in zip(p.key_exprs, p.key_names, strict=True))
    keys = ", ".join(f"coalesce(CAST({n} AS VARCHAR), '') AS {n}" for n in p.key_names)
    return f"""SELECT period, {keys}, vintage, source_file, value, source_row
        FROM (SELECT CAST({spec.period_sql} AS DATE) AS period, {grouped}, vintage, source_file,
                     CAST({p.value} AS DOUBLE) AS value, min(source_row) AS source_row
              FROM {rows} AS r WHERE ({spec.period_sql}) IS NOT NULL
              GROUP BY ALL)"""


def series_relation(spec: FeedSpec, table: str) -> str:
    """`{series}` of the rules: the series table with each series' partner kind, step and history length."""
    p = spec.plausibility
    return f"""(SELECT s.*, coalesce(k.kind, 'country') AS kind, CAST({p.step_months} AS INTEGER) AS step,
               CAST({p.history} AS INTEGER) AS history, CAST({p.min_history} AS INTEGER) AS min_history
        FROM {table} AS s LEFT JOIN {PARTNER_KINDS} AS k ON k.code = s.{p.partner})"""


def plausibility_rule_name(p: Plausibility) -> str:
    unit = {1: "months", 12: "years"}.get(p.step_months) if isinstance(p.step_months, int) else None
    if unit and isinstance(p.history, int):
        return f"new period plausible against the last {p.history} {unit}"
    return "new period plausible against its recent history"


def series_rules(spec: FeedSpec) -> tuple[SqlCheck, ...]:
    p = spec.plausibility
    judged = (SqlCheck(plausibility_rule_name(p), plausibility_sql(p)),) if p.judge is not None else ()
    return SqlCheck(REVISION, revision_sql(p)), *judged


def _number(value: str) -> str:
    return f"printf('%,.0f', {value})"


def _unit_hint(ratio: str, unit: str) -> str:
    """SQL: '; looks like thousand USD (values ~1,000× too small)' when `ratio` (new / reference) is near 1/1,000
    (or 1/1,000,000: million), '; values ~1,000× too large' near 1,000 (1,000,000); else ''."""
    low, high = SLIP_MARGIN
    cases = []
    for factor, name in UNIT_SLIPS:
        times = f"{factor:,.0f}"
        cases.append(
            f"WHEN {ratio} BETWEEN {1 / (high * factor)!r} AND {1 / (low * factor)!r} "
            f"THEN '; looks like {name} {unit} (values ~{times}× too small)'"
        )
        cases.append(f"WHEN {ratio} BETWEEN {low * factor!r} AND {high * factor!r} THEN '; values ~{times}× too large'")
    return f"CASE {' '.join(cases)} ELSE '' END"


def _label(p: Plausibility, alias: str) -> str:
    """SQL: a series and period as people write them ('USA export 2025-01'); a key named `frequency` is said by the
    period ('USA export 2025' for a year)."""
    parts = " || ' ' || ".join(f"{alias}.{n}" for n in p.key_names if n != FREQUENCY)
    period = period_label(f"{alias}.period", f"{alias}.step")
    if FREQUENCY in p.key_names:
        period = f"CASE WHEN {alias}.{FREQUENCY} = 'year' THEN strftime({alias}.period, '%Y') ELSE {period} END"
    return f"{parts} || ' ' || {period}"


def revision_sql(p: Plausibility) -> str:
    """Each value of a changed file against the vintage before it (and, if the file is older than a vintage
    already loaded, against the one after it): beyond the tolerance of its kind and the floor, it fails."""
    keys = ", ".join(p.key_names)
    tolerance = " ".join(f"WHEN {literal(kind)} THEN {share!r}" for kind, share in p.revision_tolerance.items())
    tolerance = f"CASE j.kind {tolerance} ELSE {max(p.revision_tolerance.values())!r} END"
    unit = literal(" " + p.unit)
    where = "', ' || other_file || ' row ' || other_row"
    return f"""
    WITH vintages AS (  -- one value per vintage (as the marts take it: the last file by name), with its neighbours
        SELECT *, lag(value) OVER w AS previous_value, lag(vintage) OVER w AS previous_vintage,
               lag(source_file) OVER w AS previous_file, lag(source_row) OVER w AS previous_row,
               lead(value) OVER w AS next_value, lead(vintage) OVER w AS next_vintage,
               lead(source_file) OVER w AS next_file, lead(source_row) OVER w AS next_row
        FROM (SELECT period, {keys}, vintage, max_by(value, source_file) AS value, max(source_file) AS source_file,
                     max_by(source_row, source_file) AS source_row
              FROM {{series}} WHERE value IS NOT NULL GROUP BY ALL)
        WINDOW w AS (PARTITION BY period, {keys} ORDER BY vintage)),
    judged AS (
        SELECT j.*, {tolerance} AS tolerance, v.* EXCLUDE (period, {keys}, vintage, value, source_file, source_row)
        FROM {{series}} AS j JOIN vintages AS v USING (period, {keys}, vintage)
        WHERE j.value IS NOT NULL AND list_contains({{changed}}, j.source_file)
          AND NOT list_contains({{benchmark}}, j.source_file)),
    pairs AS (
        SELECT * EXCLUDE (previous_value, previous_vintage, previous_file, previous_row, next_value, next_vintage,
                          next_file, next_row),
               previous_file AS other_file, previous_row AS other_row, previous_value AS other_value,
               previous_vintage AS other_vintage, true AS newer
        FROM judged WHERE previous_vintage IS NOT NULL
        UNION ALL BY NAME
        SELECT * EXCLUDE (previous_value, previous_vintage, previous_file, previous_row, next_value, next_vintage,
                          next_file, next_row),
               next_file AS other_file, next_row AS other_row, next_value AS other_value,
               next_vintage AS other_vintage, false AS newer
        FROM judged  -- this file is older than a vintage loaded before; a later vintage loaded now is judged itself
        WHERE next_vintage IS NOT NULL AND NOT list_contains({{changed}}, next_file)),
    failing AS (
        SELECT *, CASE WHEN newer THEN other_value ELSE value END AS earlier,
               CASE WHEN newer THEN value ELSE other_value END AS later
        FROM pairs
        WHERE abs(value - other_value) > greatest(tolerance * abs(CASE WHEN newer THEN other_value ELSE value END),
                                                  {p.floor!r}))
    SELECT source_file, source_row, other_file, other_row, period, {keys}, value, other_value,
           CASE WHEN earlier = 0 THEN NULL ELSE later / earlier - 1 END AS change,
           {_label(p, "failing")} || ': ' ||
           {_number("earlier")} || {unit} || ' (vintage ' ||
           strftime(CASE WHEN newer THEN other_vintage ELSE vintage END, '%Y-%m-%d') ||
           CASE WHEN newer THEN {where} ELSE ', this file' END || ') -> ' ||
           {_number("later")} || {unit} || ' (vintage ' ||
           strftime(CASE WHEN newer THEN vintage ELSE other_vintage END, '%Y-%m-%d') ||
           CASE WHEN newer THEN ', this file' ELSE {where} END || '): ' ||
           CASE WHEN earlier = 0 THEN 'from zero' ELSE printf('%+.1f %%', 100 * (later / earlier - 1)) END ||
           ', beyond the ' || printf('%g', CAST(100 * tolerance AS DOUBLE)) || ' % a ' || kind ||
           ' value may be revised' ||
           {_unit_hint("value / nullif(other_value, 0)", p.unit)} AS why
    FROM failing
    ORDER BY source_file, period, {keys}"""


def plausibility_sql(p: Plausibility) -> str:
    """Each first release of a changed file (and each value of a declared benchmark revision) against the median
    of the latest values of the same series in the `history` periods before it."""
    keys = ", ".join(p.key_names)
    low, high = p.band
    unit = literal(" " + p.unit)
    min_median = " ".join(f"WHEN {literal(kind)} THEN {value!r}" for kind, value in p.min_median.items())
    min_median = f"CASE kind {min_median} ELSE 0 END" if min_median else "0"
    return f"""
    WITH latest AS (
        SELECT period, {keys}, value FROM {{series}} WHERE value IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY period, {keys} ORDER BY vintage DESC, source_file DESC) = 1),
    releases AS (
        SELECT *, min(vintage) OVER (PARTITION BY period, {keys}) AS first_vintage
        FROM {{series}} WHERE value IS NOT NULL),
    judged AS (
        SELECT * EXCLUDE (first_vintage) FROM releases
        WHERE list_contains({{changed}}, source_file) AND ({p.judge})
          AND (vintage = first_vintage OR list_contains({{benchmark}}, source_file))),
    compared AS (
        SELECT j.* EXCLUDE (back), median(h.value) AS median, count(h.value) AS periods
        FROM (SELECT *, unnest(range(1, history + 1)) AS back FROM judged) AS j
        JOIN latest AS h ON h.period = CAST(j.period - to_months(CAST(j.back * j.step AS INTEGER)) AS DATE)
         AND {" AND ".join(f"h.{n} = j.{n}" for n in p.key_names)}
        GROUP BY ALL)
    SELECT source_file, source_row, period, {keys}, value, median,
           {_label(p, "compared")} || ': ' || {_number("value")} || {unit} || ' is ' ||
           CASE WHEN median = 0 THEN 'not comparable with' ELSE printf('%.3g×', value / median) END ||
           ' the median of the ' || periods || ' ' ||
           CASE step WHEN 1 THEN 'months' WHEN 12 THEN 'years' ELSE 'periods' END || ' before it (' ||
           {_number("median")} || {unit} || '), outside {low:g}…{high:g}×' ||
           {_unit_hint("value / nullif(median, 0)", p.unit)} AS why
    FROM compared
    WHERE periods >= min_history AND greatest(value, median) >= {p.floor!r} AND median >= {min_median}
      AND (value < {low!r} * median OR value > {high!r} * median)
    ORDER BY source_file, period, {keys}"""
