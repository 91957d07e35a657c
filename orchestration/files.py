"""Feed files on disk: which files a feed reads (shipped samples, then landing), and their SHA-256."""

import hashlib
from pathlib import Path

from orchestration.settings import WarehousePaths

IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload")  # files still being written


def is_feed_file(path: Path) -> bool:
    """A regular file that is neither hidden nor still being written."""
    return path.is_file() and not path.name.startswith(".") and not path.name.endswith(IGNORED_SUFFIXES)


def files_in(directory: Path) -> list[Path]:
    """The feed files of one directory, sorted by name ([] if it does not exist)."""
    return sorted(p for p in directory.iterdir() if is_feed_file(p)) if directory.is_dir() else []


def feed_files(feed: str, paths: WarehousePaths) -> list[Path]:
    """Files of a feed: shipped samples first, then the landing directory."""
    return files_in(paths.sample / feed) + files_in(paths.landing / feed)


def landing_files(paths: WarehousePaths, feeds) -> list[Path]:
    """Files waiting in <landing>/<feed>/ for the given feeds."""
    return sorted(p for feed in feeds for p in files_in(paths.landing / feed))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
