"""Text charts for the terminal (the CLI summary), drawn with DuckDB's bar()."""

import duckdb

WIDTH = 30  # characters at least: one block per percentage point, up to 30 % (or the largest share)


def us_china_share_bars(con: duckdb.DuckDBPyConnection, years: int = 6) -> str:
    """The US and China shares of Korea's exports in the last `years` complete years with both (like with like: a
    year with one partner's twelve months only is not shown), one bar each.

    `con` opens serving.duckdb (or the writer's file): reads marts.destination_share only. Returns a line
    saying so when there are no annual shares.
    """
    rows = con.execute(
        f"""WITH annual AS (
            SELECT year(period_start) AS year, partner_code, share FROM marts.destination_share
            WHERE frequency = 'year' AND partner_code IN ('USA', 'CHN') AND share IS NOT NULL
            QUALIFY count(*) OVER (PARTITION BY period_start) = 2)
        SELECT year, partner_code, share, rtrim(bar(share * 100, 0, scale, scale)) AS bar
        FROM annual, (SELECT greatest({WIDTH}, ceil(max(share) * 100)::INTEGER) AS scale FROM annual)
        WHERE year > (SELECT max(year) FROM annual) - ?
        ORDER BY year, partner_code DESC""",
        [years],
    ).fetchall()
    if not rows:
        return "US and China shares of Korea's exports: no annual shares published"
    lines = ["US and China shares of Korea's exports by year (customs basis; one block = 1 % of exports)"]
    previous = None
    for year, code, share, bar in rows:
        lines.append(f"  {year if year != previous else '':<4}  {code}  {share * 100:5.1f} %  {bar}")
        previous = year
    return "\n".join(lines)
