"""Synthetic `kcs_monthly_partner` feed in the canonical long form, written as parquet by DuckDB.

Layout: `months` consecutive months from 2000-01, each with the same list of synthetic products
(10-digit HSK codes) filled until the month's share of `rows` is reached. Product j goes to the top
ceil(P / sqrt(j + 1)) of the P current partner countries (product 0 to all of them, so every partner
has every month and its years never fall back to KOSIS) and has one `WLD` row per period equal to the
sum over partners. Values are skewed (a few partners, products
and HS chapters carry most value) and scaled to realistic totals (~14 bn USD a month in 2000, +6 %/year),
since the dbt tests compare them with the shipped KOSIS and firm-size figures. The file has exactly
`rows` rows, WLD rows included; the same seed gives the same file.

    python bench/generate_kcs_feed.py OUT.parquet --rows N [--seed S] [--months M]
"""

import argparse
import math
import sys
from pathlib import Path

import duckdb
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "dbt_project" / "seeds"
# Korea's largest partners and their approximate share of its exports (2015-2024); the rest follow a Zipf tail.
TOP_PARTNERS = {
    "CHN": 0.23,
    "USA": 0.15,
    "VNM": 0.08,
    "HKG": 0.05,
    "JPN": 0.05,
    "TWN": 0.03,
    "IND": 0.025,
    "SGP": 0.025,
    "AUS": 0.02,
    "MEX": 0.018,
}
TOP_CHAPTERS = ["85", "84", "87", "27", "39", "72", "89", "90", "29", "73"]


def month_layout(rows_per_month: int, partners: int) -> list[int]:
    """Partners per product (product j = list index) so that the month has sum(k + 1) == rows_per_month rows."""
    if rows_per_month < partners + 3:
        raise ValueError(f"need at least {partners + 3} rows per month (all partners + WLD); use fewer months")
    counts, left = [], rows_per_month
    while left:
        k = min(math.ceil(partners / math.sqrt(len(counts) + 1)), left - 1)
        if k == 0:  # one row left over: give the last product one more partner
            counts[-1] += 1
            break
        counts.append(k)
        left -= k + 1
    return counts


def generate(path: Path | str, rows: int, seed: int = 0, months: int = 300, first_month: int = 0) -> Path:
    """Write the synthetic feed (`rows` rows, WLD included) to `path`: `months` months from month number
    `first_month` (0 = 2000-01; 300 = 2025-01, the month after the default history); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"""CREATE TABLE partners AS
        SELECT iso3, partner_rank,
               coalesce({list(TOP_PARTNERS.values())}[top], 0.22 * pow(partner_rank + 1, -1.2)) AS partner_weight
        FROM (SELECT iso3, list_position({list(TOP_PARTNERS)}, iso3) AS top,
                     row_number() OVER (ORDER BY coalesce(top, 999), hash(iso3, {seed})) - 1 AS partner_rank
              FROM read_csv('{SEEDS_DIR / "countries.csv"}', all_varchar = true)
              WHERE status = 'current' AND iso3 <> 'KOR')""")
    partners = con.execute("SELECT count(*) FROM partners").fetchone()[0]
    base, extra = divmod(rows, months)  # the first `extra` months get one row more
    layouts = pd.DataFrame(
        [
            (layout, product, k)
            for layout, size in enumerate((base, base + 1))
            for product, k in enumerate(month_layout(size, partners))
        ],
        columns=["layout", "product", "partners"],
    )
    con.register("layouts", layouts)
    con.execute(f"""COPY (
        WITH chapters AS (
            SELECT hs2, row_number() OVER (ORDER BY coalesce(list_position({TOP_CHAPTERS}, hs2), 999), hs2) - 1
                AS chapter_rank, count(*) OVER () AS chapters
            FROM read_csv('{SEEDS_DIR / "hs_chapters.csv"}', all_varchar = true)),
        products AS (
            SELECT product, hs2 || lpad(((product * 48271 + {seed}) % 100000000)::VARCHAR, 8, '0') AS hs_code,
                   pow(product + 1, -0.9) * pow(chapter_rank + 1, -0.7) AS weight
            FROM (SELECT DISTINCT product FROM layouts) AS p
            JOIN chapters ON chapter_rank = CASE WHEN product < {len(TOP_CHAPTERS)} THEN product  -- top products
                ELSE floor(chapters * pow((hash({seed}, 'chapter', product) % 1000000) / 1e6, 3)) END),
        months AS (
            SELECT range AS month, strftime(DATE '2000-01-01' + to_months(range::INTEGER), '%Y-%m') AS period,
                   CASE WHEN range - {first_month} < {extra} THEN 1 ELSE 0 END AS layout,
                   14e9 * pow(1.06, range / 12) AS total
            FROM range({first_month}, {first_month + months})),
        cells AS (
            SELECT month, period, total, product, hs_code, weight, unnest(range(partners)) AS partner_rank
            FROM months JOIN layouts USING (layout) JOIN products USING (product)),
        raw AS (
            SELECT month, period, total, hs_code, iso3 AS partner_code,
                   weight * partner_weight * (0.5 + (hash({seed}, month, product, partner_rank) % 1000000) / 1e6)
                       AS raw
            FROM cells JOIN partners USING (partner_rank)),
        valued AS (
            SELECT period, partner_code, hs_code,
                   greatest(1, round(raw * total / sum(raw) OVER (PARTITION BY month)))::BIGINT AS value_usd
            FROM raw)
        SELECT period, partner_code, 'export' AS flow, hs_code, value_usd FROM valued
        UNION ALL
        SELECT period, 'WLD', 'export', hs_code, sum(value_usd)::BIGINT FROM valued GROUP BY period, hs_code
        ORDER BY period, hs_code, partner_code
    ) TO '{path}' (FORMAT parquet, COMPRESSION zstd)""")
    con.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="parquet file to write")
    parser.add_argument("--rows", type=int, required=True, help="total rows in the file, WLD rows included")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--months", type=int, default=300, help="how many months (default 300: to 2024-12)")
    parser.add_argument("--first-month", type=int, default=0, help="first month, counted from 2000-01 (= 0)")
    args = parser.parse_args(argv)
    generate(args.out, args.rows, args.seed, args.months, args.first_month)
    print(f"wrote {args.rows:,} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
