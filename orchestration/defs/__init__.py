"""Dagster assets: raw feeds, dbt models, and the serving publication."""
