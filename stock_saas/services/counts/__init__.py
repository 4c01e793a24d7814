"""Stock counts (stocktakes): count a department's shelves, typed or scanned, see the
variance per line, and submit every difference as one ``adjust``/``counted`` in one
transaction.

- :mod:`.sessions`: start (one open count per department), read, list, cancel;
- :mod:`.lines`: record counted quantities and scans, with what the books held then;
- :mod:`.submit`: apply the variances; the variance report as CSV;
- :mod:`.views`: what the domain hands out.
"""

from stock_saas.models import CountStatus
from stock_saas.services.counts.lines import MAX_ENTRIES, LineEntry, record_counts
from stock_saas.services.counts.sessions import (
    MAX_PAGE,
    cancel_count,
    get_count,
    line_position,
    list_counts,
    start_count,
)
from stock_saas.services.counts.submit import VARIANCE_HEADER, submit_count, write_variance_csv
from stock_saas.services.counts.views import CountLineView, CountPage, CountSummary, CountView

__all__ = [
    "MAX_ENTRIES",
    "MAX_PAGE",
    "VARIANCE_HEADER",
    "CountLineView",
    "CountPage",
    "CountStatus",
    "CountSummary",
    "CountView",
    "LineEntry",
    "cancel_count",
    "get_count",
    "line_position",
    "list_counts",
    "record_counts",
    "start_count",
    "submit_count",
    "write_variance_csv",
]
