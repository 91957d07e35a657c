"""File formats, one module per source: each parses its files into the normalized frame of its feed."""
