"""Reports: what was used and when stock runs out (per item), what to reorder and how
much, the dashboard's header figures, and the weekly reorder digest.

- :mod:`.figures`: the exact arithmetic (daily usage, days left, suggested order);
- :mod:`.usage`: one item's usage over a window, with its daily series;
- :mod:`.reorder`: the reorder list (and its CSV);
- :mod:`.overview`: the dashboard's counts and 30-day movements;
- :mod:`.digest`, :mod:`.schedule`, :mod:`.digest_text`: the weekly digest.

Transfers, restocks, imports and positive adjustments are not usage; negative
adjustments are reported as ``written_off``. Windows end now and series are in UTC days.
"""

from stock_saas.services.reports.digest import (
    DigestSettings,
    digest_settings,
    queue_weekly_digest,
    set_time_zone,
    set_weekly_digest,
    tenants_due_for_digest,
)
from stock_saas.services.reports.digest_text import DIGEST_ROWS
from stock_saas.services.reports.figures import (
    DEFAULT_COVER_DAYS,
    DEFAULT_DAYS,
    MAX_COVER_DAYS,
    MAX_DAYS,
    Usage,
)
from stock_saas.services.reports.overview import MovementDay, StockOverview, stock_overview
from stock_saas.services.reports.reorder import (
    CSV_HEADER,
    MAX_ROWS,
    ReorderReport,
    ReorderRow,
    reorder_list,
    write_reorder_csv,
)
from stock_saas.services.reports.schedule import (
    check_time_zone,
    digest_period,
    next_digest_at,
    time_zones,
)
from stock_saas.services.reports.usage import ItemUsage, UsagePoint, item_usage

__all__ = [
    "CSV_HEADER",
    "DEFAULT_COVER_DAYS",
    "DEFAULT_DAYS",
    "DIGEST_ROWS",
    "MAX_COVER_DAYS",
    "MAX_DAYS",
    "MAX_ROWS",
    "DigestSettings",
    "ItemUsage",
    "MovementDay",
    "ReorderReport",
    "ReorderRow",
    "StockOverview",
    "Usage",
    "UsagePoint",
    "check_time_zone",
    "digest_period",
    "digest_settings",
    "item_usage",
    "next_digest_at",
    "queue_weekly_digest",
    "reorder_list",
    "set_time_zone",
    "set_weekly_digest",
    "stock_overview",
    "tenants_due_for_digest",
    "time_zones",
    "write_reorder_csv",
]
