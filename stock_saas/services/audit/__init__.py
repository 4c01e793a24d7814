"""The audit log: reading it (pages, one item's history, batches), writing it as CSV,
and the one rule that keeps spreadsheets from running cells as formulas."""

from stock_saas.services.audit.csv_writer import (
    BATCH,
    HEADER,
    ExportFilter,
    Progress,
    write_audit_csv,
)
from stock_saas.services.audit.log import (
    COUNT_LIMIT,
    MAX_PAGE,
    AuditEntry,
    AuditFilter,
    AuditPage,
    item_history,
    iter_entries,
    latest,
)
from stock_saas.services.audit.safe_csv import (
    FORMULA_TRIGGERS,
    LEADING_BLANKS,
    NeutralisingWriter,
    neutralise,
    neutralised_sql,
)

__all__ = [
    "BATCH",
    "FORMULA_TRIGGERS",
    "LEADING_BLANKS",
    "HEADER",
    "COUNT_LIMIT",
    "MAX_PAGE",
    "AuditEntry",
    "AuditFilter",
    "AuditPage",
    "ExportFilter",
    "NeutralisingWriter",
    "Progress",
    "item_history",
    "iter_entries",
    "latest",
    "neutralise",
    "neutralised_sql",
    "write_audit_csv",
]
