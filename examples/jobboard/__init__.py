"""jobboard: a small job orchestration service (queues, jobs, runs, agents, schedules).

The application is written against synchronous SQLAlchemy 2.0 (``Session``, ``session.query``)
and serves as the reference codebase that sqlasync analyses and migrates.
"""

__version__ = "0.9.3"
