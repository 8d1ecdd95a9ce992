"""Workbook kinds of this app, registered with camp.workbooks.registry."""

# The organization department's kinds: record, comments, shortlist, graduation.
from . import (
    exports_oversight,  # noqa: F401
    exports_shortlist,  # noqa: F401
    exports_summaries,  # noqa: F401  (monthly, ranking)
)
