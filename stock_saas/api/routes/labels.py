"""Printed labels: ``GET /api/labels`` answers a PDF (manager).

The PDF is written to a temporary file on disk and streamed from there in chunks, so a
large run never sits in memory as one body. Printing gives items without a barcode a
generated one (``SS-000123``): the only change this GET makes, once per item (a second
request changes nothing).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Annotated, BinaryIO

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from stock_saas.api.deps import TenantContext
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import ID_MAX, QueryId
from stock_saas.services import labels
from stock_saas.services.labels import LabelKind, LabelLayout, LabelRequest

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["labels"], responses=ERROR_RESPONSES)

CHUNK = 64 * 1024
# At most 100 of each, so the URL stays within what HTTP servers read (uvicorn: 16 KiB).
Ids = Annotated[list[QueryId], Query(max_length=100)]


def _chunks(spool: BinaryIO) -> Iterator[bytes]:
    try:
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()


@router.get(
    "/labels",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The labels as a PDF"},
        # 400: a URL with thousands of ids is refused by the HTTP server before the app.
        **error_responses(400, 404, 409),
    },
)
def print_labels(
    ctx: TenantContext,
    item_id: Ids = [],  # noqa: B006 (FastAPI copies defaults)
    stock_level_id: Ids = [],  # noqa: B006
    department_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
    low: Annotated[bool, Query(description="Only stock levels below their threshold.")] = False,
    kind: Annotated[
        LabelKind, Query(description="items (one per stock level) or departments.")
    ] = LabelKind.ITEMS,
    layout: LabelLayout = LabelLayout.A4_3X8,
    skip: Annotated[
        int, Query(ge=0, le=29, description="Positions of a part-used sheet to leave empty.")
    ] = 0,
) -> StreamingResponse:
    """Labels (QR code and Code 128 of each code, name, department, category) as a PDF
    (manager). Items chosen by ``item_id``, ``stock_level_id``, ``department_id`` and
    ``low``; without any, every stock level. Items without a barcode get one."""
    request = LabelRequest(
        kind=kind,
        items=tuple(item_id),
        stock_level_ids=tuple(stock_level_id),
        department=department_id,
        low=low,
        layout=layout,
        skip=skip,
    )
    spool: BinaryIO = tempfile.TemporaryFile()  # noqa: SIM115 (closed by _chunks)
    try:
        run = labels.print_labels(ctx=ctx, request=request, out=spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return StreamingResponse(
        _chunks(spool),
        media_type="application/pdf",
        headers={
            "Content-Disposition": 'attachment; filename="labels.pdf"',
            "X-Label-Count": str(run.labels),
        },
    )
