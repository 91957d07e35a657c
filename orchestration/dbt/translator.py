"""Asset keys and groups of the dbt nodes in Dagster."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator

LAYER_GROUPS = {"staging": "transform", "intermediate": "transform", "marts": "marts"}


class WarehouseTranslator(DagsterDbtTranslator):
    """Keys by layer (`staging/…`, `marts/destination_share`, `reference/countries`); sources are `raw/<feed>`."""

    def get_asset_key(self, props: Mapping[str, Any]) -> dg.AssetKey:
        if props["resource_type"] == "source":
            return dg.AssetKey([props["source_name"], props["name"]])
        if props["resource_type"] == "seed":
            return dg.AssetKey(["reference", props["name"]])
        return dg.AssetKey([props["fqn"][1], props["name"]])

    def get_group_name(self, props: Mapping[str, Any]) -> str | None:
        if props["resource_type"] == "seed":
            return "reference"
        return LAYER_GROUPS.get(props["fqn"][1], "transform")
