import asyncio

from sqlalchemy.orm import Session

from . import repo


class Analyzer:
    """Types its attribute with the re-exported name; reaches the database through it."""

    def __init__(self, session: Session) -> None:
        self.runs: repo.Runs = repo.Runs(session)

    def analyze(self, job_id: int) -> dict:
        return {"latest": self.runs.latest(job_id)}


class Supervisor:
    def __init__(self, analyzer: "Analyzer") -> None:
        self.analyzer = analyzer

    async def check(self, job_id: int) -> dict:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self.analyzer.analyze, job_id)
