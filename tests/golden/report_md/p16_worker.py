import threading
from concurrent.futures import ThreadPoolExecutor

from app.models import Job


def run_task(db, job_id: int) -> None:
    with db.get_session() as session:
        job = session.get(Job, job_id)
        job.state = "done"
        session.commit()


class Worker:
    def __init__(self, db, max_workers: int = 4):
        self.db = db
        self.max_workers = max_workers

    def run(self, job_ids) -> None:
        with ThreadPoolExecutor(max_workers=self.max_workers) as ex:
            for job_id in job_ids:
                ex.submit(run_task, self.db, job_id)

    def start_helpers(self) -> None:
        threading.Thread(target=self._heartbeat, daemon=True).start()

    def _heartbeat(self) -> None:
        with self.db.get_session() as session:
            session.query(Job).filter(Job.state == "running").count()
