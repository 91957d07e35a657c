"""What every connector shares: a replaceable HTTP transport, retries, and raw-response storage."""

import json
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

SECRET_PARAMS = re.compile(r"(?i)((?:serviceKey|subscription-key|api_key|apikey|key)=)[^&]+")
USER_AGENT = "korea-export-warehouse/0.1"


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", self.headers.get("Content-Type", "")).lower()


Transport = Callable[[str, dict[str, str]], Response]


class ConnectorError(Exception):
    """A live source answered with something unusable; names the source, the rule and the saved raw file."""

    def __init__(self, source: str, rule: str, detail: str = "", saved: Path | None = None):
        self.source, self.rule, self.detail, self.saved = source, rule, detail, saved
        kept = f" (raw response kept at {saved})" if saved else ""
        super().__init__(f"{source}: rule '{rule}' failed" + (f": {detail}" if detail else "") + kept)


def safe_name(name: str) -> str:
    """`name` reduced to [A-Za-z0-9_.-]: no path separators, no spaces, nothing a shell or a loader trips on."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def land(landing: Path, feed: str, name: str, body: bytes) -> Path:
    """Write a raw body unchanged into landing/<feed>/ under a `.part` name, then rename it into place.

    The name is reduced to [A-Za-z0-9_.-] (no leading dot), so config values can never place a file
    outside the landing directory or hide it from the loader.
    """
    safe = safe_name(name).lstrip(".") or "response"
    target = (landing / feed / safe).resolve()
    if (landing / feed).resolve() != target.parent:
        raise ConnectorError(feed, "landing file stays in the landing directory", name)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.write_bytes(body)
    os.replace(part, target)
    return target


def redact(url: str) -> str:
    """The URL with API keys removed: safe for logs, metadata and file names."""
    return SECRET_PARAMS.sub(r"\1***", url)


def urllib_transport(url: str, headers: dict[str, str], timeout: float = 60) -> Response:
    """GET with the standard library; HTTP errors are returned as responses, not raised."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return Response(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read(), url)
    except urllib.error.HTTPError as e:
        return Response(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read(), url)


@dataclass
class Client:
    """One source's HTTP access: transport, retry policy for 429/5xx, and where raw bodies are kept."""

    source: str
    responses_dir: Path
    transport: Transport | None = None  # None: the live urllib transport
    sleep: Callable[[float], None] = time.sleep
    max_attempts: int = 5
    backoff_s: float = 2.0
    saved: list[Path] = field(default_factory=list)

    def get(
        self, url: str, name: str, headers: dict[str, str] | None = None, suffix: str = ""
    ) -> tuple[Response, Path]:
        """GET `url`, retrying 429 and 5xx (honouring Retry-After), and keep every body on disk."""
        for attempt in range(1, self.max_attempts + 1):
            try:
                response = (self.transport or urllib_transport)(url, headers or {})
            except (urllib.error.URLError, TimeoutError, OSError) as exc:  # DNS, refused, timed out, no network
                reason = getattr(exc, "reason", exc)
                raise ConnectorError(
                    self.source, "the API is reachable (network)", f"{redact(url)}: {reason}"
                ) from None
            path = self.keep(response, f"{name}.attempt{attempt}" if attempt > 1 else name, suffix)
            if response.status != 429 and response.status < 500:
                return response, path
            if attempt == self.max_attempts:
                rule = "rate limit (HTTP 429) clears" if response.status == 429 else "server answers (HTTP 5xx)"
                raise ConnectorError(self.source, rule, f"HTTP {response.status} after {attempt} attempts", path)
            self.sleep(self._wait(response, attempt))
        raise AssertionError("unreachable")

    def _wait(self, response: Response, attempt: int) -> float:
        retry_after = response.headers.get("retry-after", "")
        if retry_after.isdigit():
            return float(retry_after)
        match = re.search(r"(\d+) seconds", response.body.decode("utf-8", "replace"))  # Comtrade's 429 text
        return float(match.group(1)) if match else self.backoff_s * 2 ** (attempt - 1)

    def keep(self, response: Response, name: str, suffix: str = "") -> Path:
        """Write the raw body unchanged, plus a metadata file (status, content type, redacted URL)."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.responses_dir.mkdir(parents=True, exist_ok=True)
        path = self.responses_dir / f"{stamp}_{safe_name(name)}{suffix}"
        path.write_bytes(response.body)
        meta = {
            "url": redact(response.url),
            "status": response.status,
            "content_type": response.content_type,
            "fetched_at": stamp,
        }
        path.with_name(path.name + ".meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        self.saved.append(path)
        return path
