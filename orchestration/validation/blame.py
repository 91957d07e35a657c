"""A failing table rule's rows as FeedErrors: the files to blame, their rows, the rule, what they were compared with."""

import pandas as pd

from orchestration.feeds.spec import FeedError

_SIDES = ("source_file", "source_row", "other_file", "other_row", "why")


def blame(rule: str, bad: pd.DataFrame, changed: set[str]) -> list[FeedError]:
    """One error per file to blame for a failing table rule: the files loaded in this run (`changed`) that the
    failing rows come from, or, where a row's own file is unchanged, the changed file it was compared with
    (`other_file`). Rows of unchanged files are named in the detail as what was compared. Only when no changed
    file is involved at all (a removed file made older rows current) are the rows' own files blamed."""
    if bad.empty:
        return []
    records = bad.to_dict("records")
    for r in records:
        other = r.get("other_file")
        r["other_file"] = other if isinstance(other, str) else None
    involved = any(r["source_file"] in changed or r["other_file"] in changed for r in records)
    blamed, compared = {}, {}
    for r in records:
        if not involved or r["source_file"] in changed:
            side, against = (r["source_file"], r["source_row"]), (r["other_file"], r.get("other_row"))
        elif r["other_file"] in changed:
            side, against = (r["other_file"], r["other_row"]), (r["source_file"], r["source_row"])
        else:  # an unchanged row the changed ones disagree with
            compared.setdefault(r["source_file"], set()).add(int(r["source_row"]))
            continue
        blamed.setdefault(side[0], []).append((int(side[1]), r))
        if against[0] and against[0] not in changed and not isinstance(r.get("why"), str):  # a why names it
            compared.setdefault(against[0], set()).add(int(against[1]))
    errors = []
    for name, hits in sorted(blamed.items()):
        rows = sorted({row for row, _ in hits})
        described = list(dict.fromkeys(_describe(r) for _, r in hits))
        detail = "; ".join(described[:3]) + (f" (+{len(described) - 3} more)" if len(described) > 3 else "")
        if compared:
            against = "; ".join(f"{f} row(s) {_rows(rs)}" for f, rs in sorted(compared.items()))
            detail += f" [compared with {against}]"
        errors.append(FeedError(name, rule, detail, rows))
    return errors


def _describe(record: dict) -> str:
    if isinstance(record.get("why"), str):
        return record["why"]
    return ", ".join(f"{k}={_text(v)}" for k, v in record.items() if k not in _SIDES)


def _text(value) -> str:
    """A value as an error shows it (a date without a time of day)."""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return f"{value:%Y-%m-%d}"
    return str(value)


def _rows(rows: set[int]) -> str:
    first = sorted(rows)[:10]
    return ", ".join(map(str, first)) + (f" (+{len(rows) - 10} more)" if len(rows) > 10 else "")
