"""Recorded API responses go through the same gated refresh as the sample files and reach the marts;
connector assets stay out of the refresh job (no network in scheduled or sensor runs)."""

import duckdb
import pytest

from orchestration.cli import UserError, failure_messages, fetch
from orchestration.connectors import http
from orchestration.definitions import build_defs
from orchestration.defs.automation import refresh_job
from tests.helpers import FIXTURES, drop, refresh, resource

LANDED = [
    ("comtrade/annual_usa_chn_imports_from_kor_2020_2024.json", "partner_reported_trade"),
    ("imf/imts_usa_mg_cif_kor_sdmx_csv2.csv", "partner_reported_trade"),
    ("kcs/nitemtrade_us_cn_8542_8703_2024_11_12.xml", "kcs_product_partner"),
    ("kcs/nationtrade_2024_12.xml", "kcs_monthly_partner"),
]


def test_recorded_responses_reach_the_marts(warehouse):
    for fixture, feed in LANDED:
        drop(warehouse, feed, fixture.split("/")[-1], (FIXTURES / fixture).read_bytes())
    result = refresh(warehouse)
    assert result.success, failure_messages(result)
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as con:
        sources = {
            s
            for (s,) in con.execute(
                "SELECT DISTINCT partner_source FROM marts.mirror_gap WHERE partner_code = 'USA' AND frequency = 'year'"
            ).fetchall()
        }
        assert {"UN_COMTRADE", "IMF_IMTS", "IMF_DOTS", "US_CENSUS_FRED"} <= sources
        cars = con.execute("""SELECT count(*) FROM marts.product_composition
            WHERE product_group = 'passenger cars (HS 8703)' AND partner_code IN ('USA', 'CHN')""").fetchone()[0]
        assert cars >= 2


def test_refresh_job_never_includes_connectors(tmp_path):
    job = build_defs(resource(tmp_path)).resolve_job_def(refresh_job.name)
    keys = {key.path[0] for key in job.asset_layer.executable_asset_keys}
    assert "connectors" not in keys and {"raw", "marts", "publish"} <= keys


def test_fetch_command_lands_a_recorded_response(tmp_path, monkeypatch):
    """`python -m orchestration.cli fetch comtrade` through the Dagster asset, with the transport recorded."""
    body = (FIXTURES / "comtrade" / "annual_usa_chn_imports_from_kor_2020_2024.json").read_bytes()
    calls = []

    def recorded(url, headers):
        calls.append((url, headers))
        return http.Response(200, {"content-type": "application/json"}, body, url)

    monkeypatch.setattr(http, "urllib_transport", recorded)
    monkeypatch.setenv("COMTRADE_API_KEY", "secret-key-123")
    landed = fetch(
        "comtrade",
        {
            "frequency": "A",
            "reporters": [842, 156],
            "partners": [410],
            "flows": ["M"],
            "periods": ["2020", "2021", "2022", "2023", "2024"],
        },
        resource(tmp_path),
    )
    assert len(calls) == 1 and "secret-key-123" not in calls[0][0]
    assert [p.split("/landing/")[1].split("/")[0] for p in landed] == ["partner_reported_trade"]
    kept = list((tmp_path / "responses" / "comtrade").iterdir())
    assert kept and all(b"secret-key-123" not in p.read_bytes() for p in kept)


def test_fetch_failure_lands_nothing(tmp_path, monkeypatch):
    def rate_limited(url, headers):
        return http.Response(401, {"content-type": "application/json"}, b'{"statusCode": 401}', url)

    monkeypatch.setattr(http, "urllib_transport", rate_limited)
    monkeypatch.setenv("COMTRADE_API_KEY", "k")
    with pytest.raises(UserError, match="API key accepted"):
        fetch("comtrade", {"periods": ["2023"]}, resource(tmp_path))
    assert not list((tmp_path / "landing").glob("*/*"))


def test_landed_names_cannot_escape_the_landing_directory(tmp_path):
    path = http.land(tmp_path, "partner_reported_trade", "../../etc/passwd", b"x")
    assert path.parent == tmp_path / "partner_reported_trade"
    assert "/" not in path.name and not path.name.startswith(".") and path.read_bytes() == b"x"
