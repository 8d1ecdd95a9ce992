"""The one rounding of the scheme: half-up to 0.1 (assessment-scheme.md, "Rounding" and
"Rates"). It lives at the bottom of the app stack so that curriculum's attendance rates and
assessment's points, averages and medians all round with the same function."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")


def round_points(value: Decimal) -> Decimal:
    """Half-up to one decimal place: 7.25 → 7.3 (Python's round() would give 7.2)."""
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)
