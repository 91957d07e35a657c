"""Run the Great Expectations suites in `expectations/` on one parsed file.

GX's SQL path does not work on DuckDB, so each file is validated as a pandas frame
(per file, i.e. per batch); table-wide rules run as SQL in `orchestration.loading`.
"""

import json
from functools import cache

import pandas as pd

from orchestration.feeds.spec import FeedError
from orchestration.settings import EXPECTATIONS_DIR


@cache
def _batch_definition():
    import great_expectations as gx  # slow import (~3 s): only when a feed is validated

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    asset = context.data_sources.add_pandas("feeds").add_dataframe_asset("parsed_file")
    return asset.add_batch_definition_whole_dataframe("whole_file")


@cache
def suite_spec(name: str) -> dict:
    """The suite `expectations/<name>.json` as written (name, expectations with kwargs and meta.rule)."""
    return json.loads((EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def load_suite(name: str):
    """The suite `expectations/<name>.json` as a GX ExpectationSuite."""
    import great_expectations as gx

    spec = suite_spec(name)
    expectations = [
        getattr(gx.expectations, _class_name(e["type"]))(**e["kwargs"], meta=e.get("meta", {}))
        for e in spec["expectations"]
    ]
    return gx.ExpectationSuite(name=spec["name"], expectations=expectations)


def _class_name(expectation_type: str) -> str:
    return "".join(part.capitalize() for part in expectation_type.split("_"))


def validate_file(suite_name: str, frame: pd.DataFrame, file: str) -> tuple[int, list[FeedError]]:
    """Validate one parsed file; returns (expectations evaluated, failures naming file, rule and rows)."""
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(
        load_suite(suite_name),
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["source_row"]},
    )
    failures = []
    for r in result.results:
        if r.success:
            continue
        config = r.expectation_config
        rule = (config.meta or {}).get("rule", config.type)
        rows = sorted({int(u["source_row"]) for u in r.result.get("unexpected_index_list") or []})
        failures.append(FeedError(file, rule, _describe(frame, rows, r.result), rows))
    return len(result.results), failures


def _describe(frame: pd.DataFrame, rows: list[int], result: dict) -> str:
    if not rows:
        return f"observed {result.get('observed_value')}" if "observed_value" in result else ""
    shown = frame[frame["source_row"].isin(rows[:3])].drop(columns=["source_row"])
    return "; ".join(
        ", ".join(f"{k}={v!r}" for k, v in rec.items() if pd.notna(v)) for rec in shown.head(3).to_dict("records")
    )
