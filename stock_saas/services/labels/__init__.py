"""Printed labels: item and department labels as a vector PDF (QR code and Code 128 of the
same code), on A4 3 x 8 or Letter 3 x 10 sheets or one label per page for label printers,
and the barcodes items without one are given when their first label is printed.

- :mod:`.printing`: what to label, and writing the PDF;
- :mod:`.barcodes`: generated barcodes (``SS-000123``) and department codes;
- :mod:`.layouts`: the label stocks; :mod:`.drawing` one label; :mod:`.typesetting` text.
"""

from stock_saas.services.labels.barcodes import (
    DEPARTMENT_PREFIX,
    ITEM_PREFIX,
    department_code,
    department_id_of,
)
from stock_saas.services.labels.layouts import LabelLayout, Sheet, sheet_of
from stock_saas.services.labels.printing import (
    MAX_LABELS,
    LabelKind,
    LabelRequest,
    LabelRun,
    print_labels,
)

__all__ = [
    "DEPARTMENT_PREFIX",
    "ITEM_PREFIX",
    "MAX_LABELS",
    "LabelKind",
    "LabelLayout",
    "LabelRequest",
    "LabelRun",
    "Sheet",
    "department_code",
    "department_id_of",
    "print_labels",
    "sheet_of",
]
