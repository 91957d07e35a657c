"""Korea export-structure warehouse: the Dagster code location."""
