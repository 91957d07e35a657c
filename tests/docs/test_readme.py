"""The front page stays a front page: short, every mart in its table (linked to the generated catalogue), and
no link of the README or of docs/ pointing at a file or a catalogue section that is not there."""

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
PAGES = [README, *sorted((REPO_ROOT / "docs").glob("*.md")), REPO_ROOT / "deploy" / "README.md"]
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
MARTS = sorted(p.stem for p in (REPO_ROOT / "dbt_project" / "models" / "marts").glob("*.sql"))


def test_the_readme_fits_a_screen_or_three():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 200


def test_every_mart_is_in_the_readme_table_with_a_link_to_its_catalogue_section():
    rows = re.findall(r"^\| \[`(\w+)`\]\(docs/marts\.md#(\w+)\) \|", README.read_text(encoding="utf-8"), re.M)
    assert sorted(name for name, _ in rows) == MARTS
    assert all(name == anchor for name, anchor in rows)
    headings = re.findall(r"^## (\w+)$", (REPO_ROOT / "docs" / "marts.md").read_text(encoding="utf-8"), re.M)
    assert set(MARTS) <= set(headings)


def test_relative_links_of_the_docs_resolve():
    broken = []
    for page in PAGES:
        for match in LINK.finditer(page.read_text(encoding="utf-8")):
            target = match["target"]
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path, _, anchor = target.partition("#")
            resolved = (page.parent / path).resolve()
            if not resolved.exists():
                broken.append(f"{page.relative_to(REPO_ROOT)}: {target}")
            elif anchor and resolved.suffix == ".md":
                text = resolved.read_text(encoding="utf-8")
                slugs = {_slug(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}
                if anchor not in slugs:
                    broken.append(f"{page.relative_to(REPO_ROOT)}: {target} (no such section)")
    assert not broken, broken


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
