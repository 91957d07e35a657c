"""The command line never leaves a user guessing: one line per step, one line per mistake, the right exit code."""

import urllib.error

import pytest

from orchestration import cli
from orchestration.connectors import http
from orchestration.settings import WarehousePaths
from tests.helpers import FIXTURES, drop, sha256, writer_lock_held_elsewhere
from tests.republished import OECD_TEC


def run(argv, warehouse, monkeypatch, capsys) -> tuple[int, list[str], list[str]]:
    """`korea-warehouse ARGV` on `warehouse`: exit code, stdout lines, stderr lines."""
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_refresh_prints_one_line_per_step_then_the_summary(republished):
    """`korea-warehouse refresh` of the shared second publication (tests/republished.py): five kcs files, one file
    of each of three other feeds; then the summary of what it published."""
    warehouse, out = republished.root, republished.out
    assert republished.code == 0 and republished.err == []
    steps = [line for line in out if line.startswith("  raw/") or line.startswith("  dbt_models")]
    assert len(steps) == 7 and all(line.split()[1] == "ok" and line.split()[3] == "s" for line in steps)
    assert out[0].startswith(f"refresh of {warehouse} (new file {warehouse}/landing/")
    kcs_line = next(x for x in out if x.startswith("  raw/kcs_monthly"))
    assert "5 file(s) loaded, 12 unchanged, changed: 2024-02, 2024-12, 2026-08, 2026-10" in kcs_line, kcs_line
    assert any(line.startswith("  publish/serving_duckdb") for line in out)
    assert any(line.startswith("refresh succeeded in ") for line in out)
    summary = cli.summary(WarehousePaths(warehouse)).splitlines()
    assert out[-len(summary) :] == summary and "latest shares of Korea's exports (customs basis):" in summary


def test_the_summary_states_the_headline_facts(warehouse, monkeypatch, capsys):
    """`korea-warehouse summary` of (a copy of) the session's publication, the lines a refresh ends with."""
    code, out, err = run(["summary"], warehouse, monkeypatch, capsys)
    assert code == 0 and err == []
    # the headline is the latest month with both partners, on final customs statistics, with its release; then the
    # month whose lead existed only in the preliminary release, and what drove 2026
    assert "  month   2026-07-01  USA: 17.7%" in out and "  month   2026-07-01  CHN: 21.9%" in out
    assert (
        "latest month with both: 2026-07 CHN ahead of USA by 4.21 bn USD (both: customs statistics of 2026-08-31, "
        "published); CHN ahead every month since 2025-07; month by month: marts.us_china_lead"
    ) in out
    assert (
        "a lead only in the first release: 2026-02 USA ahead in the first release (preliminary of 2026-03-01); "
        "CHN ahead in the figures in use (customs statistics); marts.release_revisions"
    ) in out
    assert any(line.startswith("what drove it: Jan–Jul 2026 on a year earlier: exports +50.5 %; largest contributions "
                               "CHN +12.6 pp (HS 8542 +11.2), USA +9.7 pp") for line in out)  # fmt: skip
    conflict = (
        "  WLD import 2025-08 released 2025-09-01: 51,860 (MOTIE via Reuters) vs 51,890 (MOTIE via Dong-A Ilbo; in use)"
        " mn USD; marts.monthly_releases"  # a tie on rounding, source and reports: the publisher by name, not row order
    )
    assert conflict in out


def test_summary_before_any_publication(tmp_path, monkeypatch, capsys):
    code, out, err = run(["summary"], tmp_path, monkeypatch, capsys)
    assert code == 1 and out == []
    assert err == [
        f"korea-warehouse summary: nothing is published yet in {tmp_path}: run `make run` "
        "(or `korea-warehouse refresh`) first"
    ]


@pytest.mark.parametrize(
    "config, message",
    [
        ("{periods: 2023}", "--config is not valid JSON (Expecting property name enclosed in double quotes, column 2)"),
        ('["2023"]', "--config must be a JSON object"),
    ],
)
def test_fetch_with_bad_config(tmp_path, monkeypatch, capsys, config, message):
    code, _, err = run(["fetch", "comtrade", "--config", config], tmp_path, monkeypatch, capsys)
    assert code == 1 and len(err) == 1 and err[0].startswith(f"korea-warehouse fetch: {message}")


def test_fetch_of_an_unknown_source(tmp_path, monkeypatch, capsys):
    code, _, err = run(["fetch", "worldbank"], tmp_path, monkeypatch, capsys)
    assert (code, err) == (1, ["korea-warehouse fetch: unknown source 'worldbank': one of comtrade, imf, kcs_openapi"])


def test_fetch_without_network_names_the_rule(tmp_path, monkeypatch, capsys):
    def offline(url, headers):
        raise urllib.error.URLError("[Errno -2] Name or service not known")

    monkeypatch.setattr(http, "urllib_transport", offline)
    monkeypatch.setenv("COMTRADE_API_KEY", "k")
    code, out, err = run(["fetch", "comtrade", "--config", '{"periods": ["2023"]}'], tmp_path, monkeypatch, capsys)
    assert code == 1 and not list((tmp_path / "landing").glob("*/*"))
    assert err == [
        "korea-warehouse fetch: fetch failed: comtrade: rule 'the API is reachable (network)' failed: "
        "https://comtradeapi.un.org/data/v1/get/C/A/HS?reporterCode=842,156&partnerCode=410&flowCode=M&period=2023"
        "&cmdCode=TOTAL&partner2Code=0&customsCode=C00&motCode=0&includeDesc=true: [Errno -2] Name or service not known"
    ]
    assert out == ["  connectors/comtrade                        FAILED   0.0 s"]


def test_fetch_is_quiet(tmp_path, monkeypatch, capsys):
    body = (FIXTURES / "comtrade" / "annual_usa_chn_imports_from_kor_2020_2024.json").read_bytes()
    monkeypatch.setattr(
        http,
        "urllib_transport",
        lambda url, headers: http.Response(200, {"content-type": "application/json"}, body, url),
    )
    monkeypatch.setenv("COMTRADE_API_KEY", "k")
    config = (
        '{"reporters": [842, 156], "partners": [410], "flows": ["M"], "periods": ["2020","2021","2022","2023","2024"]}'
    )
    code, out, err = run(["fetch", "comtrade", "--config", config], tmp_path, monkeypatch, capsys)
    assert code == 0 and err == []
    assert len(out) == 3  # the step, the landed file, what to do next
    assert out[1].startswith("landed: ") and out[1].endswith(".json") and "korea-warehouse refresh" in out[2]


def test_a_second_writer_is_refused_before_anything_runs(warehouse, monkeypatch, capsys):
    with writer_lock_held_elsewhere(warehouse):
        before = sha256(warehouse / "serving.duckdb")
        code, out, err = run(["refresh"], warehouse, monkeypatch, capsys)
    assert code == 1 and out == [] and sha256(warehouse / "serving.duckdb") == before
    assert err == [
        "korea-warehouse refresh: refresh already running (pid 4242, since 2026-12-02 06:00:00 UTC): "
        "wait for it to finish, or stop it, then run again"
    ]


def test_a_failure_that_is_no_gate_says_so(warehouse, monkeypatch, capsys):
    from orchestration.defs import publish

    def broken(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(publish, "publish", broken)
    # a file of a small feed: the dbt build before the publication is short (firm_size_exports and its marts)
    drop(warehouse, "firm_size_exports", OECD_TEC.name, OECD_TEC.read_bytes())
    before = sha256(warehouse / "serving.duckdb")
    code, _, err = run(["refresh"], warehouse, monkeypatch, capsys)
    assert code == 1 and sha256(warehouse / "serving.duckdb") == before
    assert err[0] == "REFRESH FAILED: refresh failed (not a data gate); serving.duckdb was not changed."
    assert err[1] == "- publish__serving_duckdb: No space left on device"


def test_files_no_feed_reads_are_named_with_where_they_belong(warehouse, monkeypatch, capsys):
    (warehouse / "landing").mkdir(exist_ok=True)
    (warehouse / "landing" / "exports_2025_01.csv").write_text("x")
    drop(warehouse, "kcs_montly_partner", "a.csv", "x")  # a typo in the feed folder
    drop(warehouse, "kcs_monthly_partner", "2025/jan.csv", "x")  # one folder too deep
    code, _, err = run(["refresh"], warehouse, monkeypatch, capsys)
    landing = warehouse / "landing"
    assert code == 0
    assert f"warning: {landing}/exports_2025_01.csv is not read: put it in {landing}/<feed>/ (feeds: " in err[0]
    assert err[1] == (
        f"warning: {landing}/kcs_monthly_partner/2025/jan.csv is not read: feed files go directly in "
        f"{landing}/kcs_monthly_partner/"
    )
    assert err[2].startswith(f"warning: {landing}/kcs_montly_partner/a.csv is not read: kcs_montly_partner/ is no feed")


class _Run:
    """A run's check evaluations and failed steps, as Dagster's result gives them."""

    def __init__(self, checks, failed_steps=()):
        import dagster as dg

        self.checks = [
            dg.AssetCheckEvaluation(
                asset_key=dg.AssetKey(["marts", "destination_share"]),
                check_name=name,
                passed=passed,
                severity=dg.AssetCheckSeverity[severity],
            )  # fmt: skip
            for name, passed, severity in checks
        ]
        self.all_events = [
            type("Event", (), {"event_type": dg.DagsterEventType.STEP_FAILURE, "step_key": step})
            for step in failed_steps
        ]

    def get_asset_check_evaluations(self):
        return self.checks


def test_a_failed_warning_check_is_no_gate():
    """A dbt test of severity warn that fails (e.g. a column NULL in every row of a warehouse without release files) is
    a warning line after the publication, never "a gate stopped the run"; a failed error check is a gate."""
    from orchestration.defs.reports import only_reports_failed

    run = _Run([("assert_no_mart_column_is_null_in_every_row", False, "WARN"), ("unique_key", True, "ERROR")])
    assert cli.failed_checks(run) == []
    assert cli.failed_checks(run, "WARN") == [
        "check marts/destination_share / assert_no_mart_column_is_null_in_every_row failed"
    ]
    warning = [("w", False, "WARN")]
    assert only_reports_failed(_Run(warning, ["reports__us_products"]))  # the publication stands
    assert not only_reports_failed(_Run([*warning, ("e", False, "ERROR")], ["reports__us_products"]))
