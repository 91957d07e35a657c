"""A font with Hangul for chart labels ('미국 US', '중국 China'), found without touching matplotlib's globals.

First NanumGothic from the PyPI package koreanize-matplotlib (a project dependency, so `make run` needs no
apt), else Noto Sans CJK from Debian's fonts-noto-cjk. The package is not imported (its import rewrites
matplotlib's rcParams and needs distutils): only its font file is registered.
"""

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from matplotlib import font_manager

DEBIAN_NOTO_CJK = Path("/usr/share/fonts/opentype/noto")


def candidates() -> list[tuple[Path, Path]]:
    """(regular, bold) font files with Hangul, in order of preference (those that exist)."""
    found = []
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec and spec.origin:
        fonts = Path(spec.origin).parent / "fonts"
        found.append((fonts / "NanumGothic.ttf", fonts / "NanumGothicBold.ttf"))
    found.append((DEBIAN_NOTO_CJK / "NotoSansCJK-Regular.ttc", DEBIAN_NOTO_CJK / "NotoSansCJK-Bold.ttc"))
    return [pair for pair in found if all(path.is_file() for path in pair)]


@dataclass(frozen=True)
class HangulFont:
    family: str
    bold_weight: int  # NanumGothicBold is 600, Noto Sans CJK Bold 700: asking for "bold" (700) would warn


@cache
def hangul_font() -> HangulFont:
    """Register the first font with Hangul (regular and bold); RuntimeError if there is none."""
    pairs = candidates()
    if not pairs:
        raise RuntimeError(
            "no font with Hangul: `pip install koreanize-matplotlib` or `apt-get install fonts-noto-cjk`"
        )
    regular, bold = (str(path) for path in pairs[0])
    for path in (regular, bold):
        font_manager.fontManager.addfont(path)
    entries = {entry.fname: entry for entry in font_manager.fontManager.ttflist}
    return HangulFont(entries[regular].name, int(entries[bold].weight))
