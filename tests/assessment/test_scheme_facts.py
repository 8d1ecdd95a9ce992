"""The scheme's two numbers, 300 points and 26 items, are stated once (models/scheme.py) and
read from there: a page or a module that writes them out again would drift from a scheme that
changes."""

import itertools
import re
from pathlib import Path

from assessment.models import ITEM_COUNT, TOTAL_POINTS
from assessment.models.summaries import DISTRIBUTION_BANDS, TOP_OF_BANDS

ROOT = Path(__file__).resolve().parents[2]
APPS = ("camp", "trainees", "curriculum", "assessment")
# Where the numbers may be written: their home, and the default scheme whose items add up to them.
HOMES = {"assessment/models/scheme.py", "assessment/default_scheme.py"}
# The numbers used as points or as an item count (not a text length, a timeout or a date).
AS_A_FACT = re.compile(
    r"range\(\s*0\s*,\s*300\b|(?:==|!=|<=|>=|<|>)\s*300\b|\b300\s*(?:==|!=|<=|>=|<|>)"
    r"|[\"']max[\"']\s*:\s*300\b|满分\s*300|300\s*分"
    r"|range\(\s*1\s*,\s*27\b|[!=]=\s*26\b|26\s*项"
)


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix not in {".py", ".html"} or "/migrations/" in relative:
                continue
            if relative not in HOMES:
                yield relative, path.read_text(encoding="utf-8")


def test_no_module_or_template_restates_300_points_or_26_items():
    found = [
        f"{relative}:{number}: {line.strip()}"
        for relative, text in _sources()
        for number, line in enumerate(text.splitlines(), start=1)
        if not line.lstrip().startswith("#")
        and "len(" not in line  # a text's length limit, not points
        and AS_A_FACT.search(line)
    ]
    assert found == []


def test_the_distribution_bands_run_from_0_to_the_schemes_total():
    assert (ITEM_COUNT, TOTAL_POINTS) == (26, 300)
    assert DISTRIBUTION_BANDS[0][0] == 0
    assert DISTRIBUTION_BANDS[-1][1] == TOP_OF_BANDS == TOTAL_POINTS
    assert all(a[1] == b[0] for a, b in itertools.pairwise(DISTRIBUTION_BANDS))
