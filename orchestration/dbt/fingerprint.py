"""What identifies the dbt project a build ran: its manifest, less what changes every time dbt parses it."""

import hashlib
import json
from pathlib import Path


def manifest_fingerprint(manifest_path: Path) -> str:
    """SHA-256 of the manifest without its `metadata` (invocation id and times) and each node's `created_at`, and
    of dbt_project.yml (vars live there): parsing an unchanged project again keeps the fingerprint, a change to a
    model, test, macro, seed, config or var gives a new one (and a full rebuild)."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest.pop("metadata", None)
    for section in manifest.values():
        for node in section.values() if isinstance(section, dict) else ():
            if isinstance(node, dict):
                node.pop("created_at", None)
    digest = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode("utf-8"))
    digest.update((manifest_path.parents[1] / "dbt_project.yml").read_bytes())
    return digest.hexdigest()
