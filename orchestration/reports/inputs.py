"""What a chart was drawn from, so that a publication that leaves it unchanged does not draw it again.

A chart's inputs are the marts its queries read (recorded while it is drawn, never declared by hand) with their
checksums in the publication (`marts._publication.checksums`), and a digest of the code and seeds that draw it.
They are kept next to the chart as `<name>.inputs.json`; a chart whose PNG and SVG exist and whose inputs are
those of the serving file is not drawn again (drawing all charts takes ~7 s, a no-change check milliseconds).
"""

import hashlib
import inspect
import json
import re
from functools import cache
from pathlib import Path

from orchestration.feeds import reference
from orchestration.reports import charts, data, fonts
from orchestration.settings import SEEDS_DIR

MART = re.compile(r"\bmarts\.(\w+)")


class Recording:
    """A connection that notes the marts each query reads (data.frame and the charts only call `execute`)."""

    def __init__(self, con):
        self.con, self.marts = con, set()

    def execute(self, sql: str, params=None):
        self.marts.update(MART.findall(sql))
        return self.con.execute(sql, params)


@cache
def code_digest() -> str:
    """The modules that draw the charts and the seeds their labels come from."""
    code = "".join(inspect.getsource(m) for m in (charts, data, fonts, reference)).encode()
    seeds = b"".join((SEEDS_DIR / seed).read_bytes() for seed in ("countries.csv", "partner_groups.csv"))
    return hashlib.sha256(code + seeds).hexdigest()[:16]


def _checksums(con) -> dict[str, str]:
    return json.loads(con.execute("SELECT checksums FROM marts._publication").fetchone()[0])


def _inputs_file(directory: Path, name: str) -> Path:
    return directory / f"{name}.inputs.json"


def unchanged(name: str, con, directory: Path) -> bool:
    """True when chart `name`'s files exist and were drawn by this code from marts the serving file still has."""
    files = [directory / f"{name}.{ext}" for ext in ("png", "svg")] + [_inputs_file(directory, name)]
    if not all(f.exists() for f in files):
        return False
    try:
        kept = json.loads(files[-1].read_text(encoding="utf-8"))
    except ValueError:
        return False
    now = _checksums(con)
    marts = kept.get("marts") or {}
    return (
        kept.get("code") == code_digest()
        and bool(marts)
        and all(s is not None and now.get(m) == s for m, s in marts.items())
    )


def render(name: str, con, directory: Path) -> charts.Rendered | None:
    """Draw chart `name` (charts.render) unless its inputs are unchanged (then None), and note what it read."""
    if unchanged(name, con, directory):
        return None
    recording = Recording(con)
    rendered = charts.render(name, recording, directory)
    now = _checksums(con)
    kept = {"code": code_digest(), "marts": {m: now.get(m) for m in sorted(recording.marts)}}
    charts.write_atomically(_inputs_file(directory, name), json.dumps(kept, indent=1).encode())
    return rendered
