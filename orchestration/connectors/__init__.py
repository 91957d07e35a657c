"""Live API clients. Only an explicit command (`python -m orchestration.cli fetch …`) calls them.

Every client lands the raw response bodies, unchanged, under `<WAREHOUSE_DIR>/responses/<source>/`
(kept for inspection whatever happens) and copies good ones into `landing/<feed>/`, from where the
normal gated refresh parses them. Tests replace the transport with recorded responses.
"""
