"""The worker process: claims ready jobs and runs them on a thread pool.

Run with ``python -m jobboard.worker``. Every database call here is synchronous; each thread
opens its own sessions through the shared ``DatabaseService``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Optional

from jobboard.clock import utcnow
from jobboard.config import load_settings
from jobboard.db import DatabaseService
from jobboard.models import Job, JobRun
from jobboard.services.agents import AgentService
from jobboard.services.dispatch import DispatchService
from jobboard.services.runs import RunService
from jobboard.services.task_queue import TaskQueueService

logger = logging.getLogger(__name__)


class TaskError(RuntimeError):
    pass


def execute_payload(payload: dict[str, Any]) -> Any:
    """The 'work' of a job. Real deployments plug executors in here."""
    op = payload.get("op", "noop")
    args = payload.get("args", [])
    if op == "noop":
        return None
    if op == "sum":
        return sum(args)
    if op == "echo":
        return args
    if op == "sleep":
        time.sleep(min(float(args[0]) if args else 0.0, 0.05))
        return "slept"
    if op == "fail":
        raise TaskError(payload.get("message", "task failed"))
    raise TaskError(f"unknown op {op!r}")


def run_task(db: DatabaseService, job_id: int, agent_id: Optional[int] = None) -> bool:
    """Claim and execute one job. Returns False if another worker claimed it first."""
    queue = TaskQueueService(db)
    runs = RunService(db)
    if not queue.claim(job_id):
        return False
    run_id = runs.start_run(job_id, agent_id)
    with db.get_session() as session:
        job = session.get(Job, job_id)
        payload = json.loads(job.payload or "{}")
    try:
        result = execute_payload(payload)
    except Exception as exc:  # the job failed, not the worker
        runs.finish_run(run_id, ok=False, exit_code=1, message=str(exc))
    else:
        runs.finish_run(run_id, ok=True, exit_code=0, message=f"result: {result!r}")
    return True


class Worker:
    def __init__(
        self,
        db: DatabaseService,
        name: str = "worker-1",
        max_workers: int = 4,
        queue_ids: Optional[list[int]] = None,
    ) -> None:
        self.db = db
        self.name = name
        self.max_workers = max_workers
        self.queue_ids = queue_ids
        self.agents = AgentService(db)
        self.dispatch = DispatchService(db)
        self.agent_id = self.agents.register(name, capacity=max_workers).id
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _pick(self, batch: int) -> list[int]:
        with self.db.get_session() as session:
            q = session.query(Job.id).filter(Job.state == "ready")
            if self.queue_ids:
                q = q.filter(Job.queue_id.in_(self.queue_ids))
            rows = q.order_by(Job.priority.desc(), Job.id).limit(batch).all()
            return [row.id for row in rows]

    def run_once(self, batch: int = 8) -> int:
        """Run up to ``batch`` ready jobs concurrently; returns how many this worker ran."""
        job_ids = self._pick(batch)
        if not job_ids:
            return 0
        with ThreadPoolExecutor(max_workers=self.max_workers) as ex:
            futures = [ex.submit(run_task, self.db, job_id, self.agent_id) for job_id in job_ids]
            return sum(1 for f in futures if f.result())

    def run_until_empty(self, batch: int = 8, max_rounds: int = 20) -> int:
        total = 0
        for _ in range(max_rounds):
            ran = self.run_once(batch)
            if ran == 0:
                break
            total += ran
        return total

    # -- helper threads -----------------------------------------------------------------------

    def _heartbeat_loop(self, interval: float) -> None:
        while not self._stop.is_set():
            try:
                self.agents.heartbeat(self.agent_id, load=self._load())
            except Exception:
                logger.exception("heartbeat failed")
            self._stop.wait(interval)

    def _promote_loop(self, interval: float) -> None:
        while not self._stop.is_set():
            try:
                self.dispatch.promote_ready()
            except Exception:
                logger.exception("promotion failed")
            self._stop.wait(interval)

    def _reap_loop(self, interval: float, stale_seconds: float) -> None:
        runs = RunService(self.db)
        while not self._stop.is_set():
            try:
                self.reap_stale_runs(stale_seconds, runs)
            except Exception:
                logger.exception("reaper failed")
            self._stop.wait(interval)

    def reap_stale_runs(self, stale_seconds: float, runs: Optional[RunService] = None) -> int:
        runs = runs or RunService(self.db)
        cutoff = utcnow().timestamp() - stale_seconds
        with self.db.get_session() as session:
            stale = (
                session.query(JobRun)
                .filter(JobRun.agent_id == self.agent_id, JobRun.state == "running")
                .all()
            )
            lost = [run for run in stale if run.started_at.timestamp() < cutoff]
            for run in lost:
                runs.mark_lost(session, run)
            session.commit()
            return len(lost)

    def _load(self) -> float:
        active = RunService(self.db).active_for_agent(self.agent_id)
        return min(1.0, len(active) / max(self.max_workers, 1))

    def start_heartbeat(self, interval: float = 10.0) -> threading.Thread:
        thread = threading.Thread(target=self._heartbeat_loop, args=(interval,), daemon=True)
        thread.start()
        self._threads.append(thread)
        return thread

    def start_promoter(self, interval: float = 5.0) -> threading.Thread:
        thread = threading.Thread(target=self._promote_loop, args=(interval,), daemon=True)
        thread.start()
        self._threads.append(thread)
        return thread

    def start_reaper(self, interval: float = 60.0, stale_seconds: float = 900.0) -> threading.Thread:
        thread = threading.Thread(target=self._reap_loop, args=(interval, stale_seconds), daemon=True)
        thread.start()
        self._threads.append(thread)
        return thread

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()


def main() -> None:  # pragma: no cover - process entry point
    logging.basicConfig(level=logging.INFO)
    settings = load_settings()
    db = DatabaseService(settings.database_url)
    worker = Worker(db, max_workers=4)
    worker.start_heartbeat()
    worker.start_promoter()
    worker.start_reaper(stale_seconds=settings.stale_run_seconds)
    try:
        while True:
            if worker.run_once() == 0:
                time.sleep(1.0)
    finally:
        worker.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
