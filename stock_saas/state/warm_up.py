"""A new backend worker runs what a sign-in runs once, before its first visitor does.

A worker's first sign-in otherwise pays for the ORM's set-up, the compilation of every
statement on its path, the pools' first connections and argon2id's first allocation:
measured inside the app on PostgreSQL, the first sign-in of each of the five workers
took 105-140 ms of service time against 37-65 ms for the next one, and the dashboard's
first page 5-8 ms more per read. :func:`warm_up_worker` is a lifespan task: it runs in a
thread after the worker has started (nothing waits for it) and reads nothing and changes
nothing of any organisation (tenant 0 owns no row; the sign-in part looks up a username
nobody can have).
"""

from __future__ import annotations

import asyncio
import logging

from stock_saas.services import catalog, people, stock
from stock_saas.services.core import Context, Role, Source
from stock_saas.state.paging import PAGE_SIZES

__all__ = ["warm_up_worker"]

log = logging.getLogger(__name__)

_NOBODY = Context(tenant_id=0, role=Role.USER, source=Source.UI, user_id=0, actor_name="")


def _warm_up() -> None:
    people.warm_up()
    catalog.list_categories(ctx=_NOBODY, item_counts=False)
    catalog.list_departments(ctx=_NOBODY)
    stock.list_stock(ctx=_NOBODY, limit=PAGE_SIZES[0])


async def warm_up_worker() -> None:
    """Lifespan task: :func:`_warm_up` off the event loop; a failure (the database not up
    yet) only means the first sign-in pays as before."""
    try:
        await asyncio.to_thread(_warm_up)
    except Exception as exc:  # the worker serves all the same
        log.warning("warm-up skipped: %s", exc)
