"""index.html in a real headless Chromium: loads cleanly, every chart shows, the latest shares are on it."""

import io

from PIL import Image

from orchestration.reports import charts


def _latest_year_shares(serving) -> tuple[int, str, str]:
    year, us, cn = serving.execute("""
        SELECT year(period_start), max(share) FILTER (partner_code = 'USA'), max(share) FILTER (partner_code = 'CHN')
        FROM marts.destination_share WHERE frequency = 'year' AND partner_code IN ('USA', 'CHN')
        GROUP BY 1 HAVING count(share) = 2 ORDER BY 1 DESC LIMIT 1""").fetchone()
    return year, f"{us * 100:.1f} %", f"{cn * 100:.1f} %"


def test_report_page_in_chromium(published, serving, screenshots, browser):
    index = published / "reports" / "index.html"
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    problems, requests = [], []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(index.as_uri(), wait_until="load")
    try:
        assert not problems, problems
        assert all(url.startswith("file://") for url in requests), f"external resources: {requests}"

        images = page.evaluate(
            "Array.from(document.images).map(i => ({src: i.getAttribute('src'), complete: i.complete,"
            " width: i.naturalWidth, height: i.naturalHeight}))"
        )
        assert [i["src"] for i in images] == [f"{name}.png" for name in charts.CHARTS]
        for image, element in zip(images, page.locator("img").all(), strict=True):
            assert image["complete"] and image["width"] > 0 and image["height"] > 0, image
            shown = Image.open(io.BytesIO(element.screenshot())).convert("RGB")  # as the browser drew it
            assert len(shown.getcolors(maxcolors=1 << 20) or range(2)) > 1, f"{image['src']} is blank"

        year, us, cn = _latest_year_shares(serving)
        row = page.locator("#latest-shares tr", has_text="year").inner_text()
        assert str(year) in row and us in row and cn in row, row
        # the latest month on the best figures, a lead that existed only in a first release (2026-02), what drove it
        latest = page.locator("#latest").inner_text()
        month, leader, release = serving.execute("""SELECT strftime(period_start, '%Y-%m'), leader_code,
            us_release_type FROM marts.us_china_lead WHERE leader_code IS NOT NULL
            ORDER BY period_start DESC LIMIT 1""").fetchone()
        assert f"{month} {leader} ahead" in latest and release in latest, latest
        flipped = serving.execute("""SELECT DISTINCT strftime(period_start, '%Y-%m') FROM marts.release_revisions
            WHERE frequency = 'month' AND us_china_leader_differs""").fetchall()
        assert flipped and all(f"A lead only in the first release: {m}" in latest for (m,) in flipped), latest
        assert "What drove it:" in latest
        assert page.locator("#growth_contributions img").is_visible()
        assert "only in a first release" in page.locator("#crossovers").inner_text()
        # every claim in its source's words with where it is said, the reading labelled as ours, and its status
        claims = page.locator("#claims tr").all_inner_texts()[1:]
        expected = serving.execute("SELECT claim, source_passage, test_reading, status FROM marts.report_claims")
        expected = expected.fetchall()
        assert len(claims) == len(expected)
        for claim, passage, reading, status in expected:
            assert any(claim in row and passage in row and status in row for row in claims), claim
            assert reading is None or any(f"tested as: {reading}" in row for row in claims), reading
        publication_id = serving.execute("SELECT publication_id FROM marts._publication").fetchone()[0]
        assert publication_id in page.inner_text("body")
    finally:
        shot = screenshots / "report_page.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"report page screenshot: {shot}")
        page.close()
