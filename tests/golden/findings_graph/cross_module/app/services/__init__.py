"""Re-exports: `from app.services import JobService` works."""
from .jobs import JobService

__all__ = ["JobService"]
