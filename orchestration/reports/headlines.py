"""The headline figures, read from the marts (serving.duckdb, or the writer's file): what the CLI summary prints, the
report page shows and the publication's metadata carries. Each says which release its numbers are."""

from datetime import date
from typing import NamedTuple

import duckdb

MARTS = "marts"


def latest_us_china_shares(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(frequency, period_start, partner_code, share) of the US and China in the latest period of each frequency
    in which both are reported (like with like: a later month with the US only is not the headline), months
    first."""
    return con.execute(f"""
        WITH both_reported AS (
            SELECT frequency, period_start, partner_code, share FROM {MARTS}.destination_share
            WHERE partner_code IN ('USA', 'CHN') AND share IS NOT NULL
            QUALIFY count(*) OVER (PARTITION BY frequency, period_start) = 2)
        SELECT * FROM both_reported
        QUALIFY period_start = max(period_start) OVER (PARTITION BY frequency)
        ORDER BY CASE frequency WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 ELSE 3 END, partner_code DESC""").fetchall()


class Lead(NamedTuple):
    """The latest month of marts.us_china_lead with both values."""

    period_start: date
    leader_code: str
    margin_usd: float
    fragile: bool
    us_release: str  # e.g. 'customs statistics of 2026-08-31, published'
    china_release: str
    streak_start: date  # the first month of the leader's current run of leads
    within_noise: bool = False  # the margin is within revision_noise_usd

    def fragility(self) -> str:
        """Why the lead is fragile (marts.us_china_lead's rule), each cause that applies: a derived value on either
        side, a margin within revision noise; a fragile lead with neither has its margin within the rounding of the
        two printed figures. Empty if it is not fragile."""
        if not self.fragile:
            return ""
        causes = ["rests on a derived value"] if "derived" in f"{self.us_release} {self.china_release}" else []
        if self.within_noise:
            causes.append("margin within revision noise")
        return "; ".join(causes or ["margin within the rounding of the printed figures"])

    @property
    def trailer_code(self) -> str:
        return {"USA": "CHN", "CHN": "USA"}.get(self.leader_code, "")

    def line(self) -> str:
        """'2026-07 CHN ahead of USA by 4.21 bn USD (both: customs statistics of 2026-08-31, published); …'"""
        releases = (
            f"both: {self.us_release}"
            if self.us_release == self.china_release
            else f"USA: {self.us_release}; CHN: {self.china_release}"
        )
        run = (
            ""
            if self.streak_start == self.period_start
            else f"; {self.leader_code} ahead every month since {self.streak_start:%Y-%m}"
        )
        noise = f" — fragile ({self.fragility()})" if self.fragile else ""
        return (
            f"{self.period_start:%Y-%m} {self.leader_code} ahead of {self.trailer_code} by "
            f"{self.margin_usd / 1e9:.2f} bn USD ({releases}){noise}{run}"
        )


def latest_lead(con: duckdb.DuckDBPyConnection) -> Lead | None:
    row = con.execute(f"""
        WITH led AS (SELECT * FROM {MARTS}.us_china_lead WHERE leader_code IN ('USA', 'CHN')),
        latest AS (SELECT * FROM led ORDER BY period_start DESC LIMIT 1)
        SELECT l.period_start, l.leader_code, l.margin_usd, l.fragile,
               l.us_release_type || ' of ' || l.us_vintage || ', ' || l.us_value_basis,
               l.china_release_type || ' of ' || l.china_vintage || ', ' || l.china_value_basis,
               (SELECT min(period_start) FROM led
                WHERE period_start > coalesce((SELECT max(period_start) FROM led
                                               WHERE leader_code <> l.leader_code), DATE '1900-01-01')),
               coalesce(l.margin_usd <= l.revision_noise_usd, false)
        FROM latest AS l""").fetchone()
    return Lead(*row) if row else None


def first_release_leads(con: duckdb.DuckDBPyConnection) -> list[tuple[date, str]]:
    """(month, note) of every month whose first release had the other side ahead (marts.us_china_lead)."""
    return con.execute(f"""
        SELECT period_start, release_note FROM {MARTS}.us_china_lead WHERE release_note IS NOT NULL
        ORDER BY period_start""").fetchall()


class Drivers(NamedTuple):
    """The latest year to date (else year) of marts.export_growth_contributions."""

    frequency: str
    period_start: date
    last_month: int  # months of the year it covers
    world_growth: float
    partners: list[tuple[str, float, float | None]]  # (partner, contribution, of which HS 8542), largest first

    def line(self, top: int = 5) -> str:
        span = f"Jan–{date(2000, self.last_month, 1):%b} " if self.frequency == "ytd" else ""
        parts = [
            f"{code} {100 * value:+.1f} pp" + ("" if chips is None else f" (HS 8542 {100 * chips:+.1f})")
            for code, value, chips in self.partners[:top]
        ]
        return (
            f"{span}{self.period_start:%Y} on a year earlier: exports {100 * self.world_growth:+.1f} %; "
            f"largest contributions {', '.join(parts)}"
        )


def growth_drivers(con: duckdb.DuckDBPyConnection) -> Drivers | None:
    rows = con.execute(f"""
        WITH latest AS (
            SELECT frequency, period_start FROM {MARTS}.export_growth_contributions
            WHERE frequency IN ('ytd', 'year') AND role = 'partner'
            ORDER BY period_start DESC, frequency = 'ytd' DESC LIMIT 1)
        SELECT c.frequency, c.period_start, c.partner_code, c.contribution, c.hs8542_contribution, c.world_growth,
               c.months
        FROM {MARTS}.export_growth_contributions AS c JOIN latest USING (frequency, period_start)
        WHERE c.role = 'partner' ORDER BY c.contribution DESC""").fetchall()
    if not rows:
        return None
    frequency, start, _, _, _, world_growth, months = rows[0]
    partners = [(code, value, chips) for _, _, code, value, chips, _, _ in rows]
    return Drivers(frequency, start, months, world_growth, partners)


def release_conflicts(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(period_start, partner_code, flow, vintage, figures) per partner-month and day on which published releases
    disagree beyond the rounding of both (marts.monthly_releases); `figures`: each value (publisher), the one the
    marts use marked."""
    return con.execute(f"""
        SELECT period_start, partner_code, flow, vintage,
               string_agg(printf('%,.0f', value_usd / 1e6) || ' (' || coalesce(publisher, source)
                          || CASE WHEN used_by_marts THEN '; in use' ELSE '' END || ')', ' vs ' ORDER BY value_usd)
        FROM {MARTS}.monthly_releases WHERE conflicting_with IS NOT NULL
        GROUP BY ALL ORDER BY ALL""").fetchall()
