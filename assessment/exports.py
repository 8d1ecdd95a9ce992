"""Workbook kinds of this app, registered with camp.workbooks.registry."""

# The organization department's kinds (record, shortlist) are the oversight app's.
from . import (
    documents_graduation,  # noqa: F401  (appraisal-form, certificate: Word documents)
    exports_comments,  # noqa: F401
    exports_graduation,  # noqa: F401
    exports_summaries,  # noqa: F401  (monthly, ranking)
)
