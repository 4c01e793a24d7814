"""The per-tenant counter behind generated barcodes (``SS-000123``)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey
from sqlmodel import Field, SQLModel

from stock_saas.models._columns import id_type

__all__ = ["BarcodeCounter"]


class BarcodeCounter(SQLModel, table=True):
    """The last number a tenant's generated barcodes used; its row is the lock that makes
    two label runs at once take different numbers."""

    __tablename__ = "barcode_counters"

    tenant_id: int = Field(
        sa_column=Column(id_type, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    )
    last_number: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
