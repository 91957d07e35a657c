"""Charts and the report page, rendered from serving.duckdb (read-only): `data` (queries), `charts`
(matplotlib), `page` (index.html), `text` (terminal bars). Dagster runs them in orchestration/defs/reports.py;
`python -m orchestration.reports` renders them again from the published file without a refresh."""
