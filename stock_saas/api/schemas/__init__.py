"""Request and response schemas, one family per resource (Create/Update/Public).

The API never returns a table row; request bodies refuse unknown fields, so a client can
never set ``id``, ``tenant_id`` (beyond naming its own) or ``role`` where it may not.
"""

from stock_saas.api.schemas.catalog import *  # noqa: F403
from stock_saas.api.schemas.catalog import __all__ as _catalog
from stock_saas.api.schemas.common import *  # noqa: F403
from stock_saas.api.schemas.common import __all__ as _common
from stock_saas.api.schemas.counts import *  # noqa: F403
from stock_saas.api.schemas.counts import __all__ as _counts
from stock_saas.api.schemas.reports import *  # noqa: F403
from stock_saas.api.schemas.reports import __all__ as _reports
from stock_saas.api.schemas.stock import *  # noqa: F403
from stock_saas.api.schemas.stock import __all__ as _stock
from stock_saas.api.schemas.users import *  # noqa: F403
from stock_saas.api.schemas.users import __all__ as _users

__all__ = [*_catalog, *_common, *_counts, *_reports, *_stock, *_users]
