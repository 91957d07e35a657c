"""Data-quality gates: Great Expectations suites per file, SQL rules per table."""
