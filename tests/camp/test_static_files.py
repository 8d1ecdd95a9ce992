"""The static files production collects: `collectstatic` with the manifest storage fails on a
source map a file names but the folder lacks (as the vendored Chart.js once did)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE_MAP = re.compile(rb"[#@] sourceMappingURL=([^\s*]+)")


def test_every_source_map_a_static_file_names_is_there():
    missing = []
    for path in (ROOT / "static").rglob("*"):
        if path.suffix not in {".js", ".css"}:
            continue
        for name in SOURCE_MAP.findall(path.read_bytes()):
            if not (path.parent / name.decode()).exists():
                missing.append(f"{path.relative_to(ROOT)} → {name.decode()}")
    assert missing == []
