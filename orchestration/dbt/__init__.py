"""How Dagster runs the dbt project: the project and its manifest, the CLI resource, the asset keys."""
