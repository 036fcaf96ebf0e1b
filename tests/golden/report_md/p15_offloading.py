import asyncio

from app.models import Run


class Guardian:
    def __init__(self, db):
        self.db = db

    def analyze(self, agent_id: int) -> dict:
        with self.db.get_session() as session:
            return {"agent": agent_id, "runs": session.query(Run).count()}


class Supervisor:
    def __init__(self, guardian: Guardian):
        self.guardian = guardian

    async def check(self, agent_id: int) -> dict:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self.guardian.analyze, agent_id)


async def purge_in_thread(retention) -> int:
    return await asyncio.to_thread(retention.purge_all)
