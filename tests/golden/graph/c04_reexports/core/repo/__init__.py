from .runs import RunRepository as Runs

__all__ = ["Runs"]
