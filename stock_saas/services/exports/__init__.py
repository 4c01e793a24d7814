"""Background CSV exports of the audit log: requested by an admin, written by a worker
(resumed when a worker dies), downloaded once done, expired after a while."""

from stock_saas.models import ExportStatus
from stock_saas.services.exports.requests import (
    MAX_ROWS,
    ExportFile,
    ExportRequested,
    ExportView,
    export_file,
    export_status,
    list_exports,
    request_export,
)
from stock_saas.services.exports.runs import (
    exports_to_resume,
    next_lease_expiry,
    purge_expired,
    run_export,
)

__all__ = [
    "MAX_ROWS",
    "ExportFile",
    "ExportRequested",
    "ExportStatus",
    "ExportView",
    "export_file",
    "export_status",
    "exports_to_resume",
    "list_exports",
    "next_lease_expiry",
    "purge_expired",
    "request_export",
    "run_export",
]
