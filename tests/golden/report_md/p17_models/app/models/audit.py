from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class AuditBase(AsyncAttrs, DeclarativeBase):
    pass


class AuditEntry(AuditBase):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
