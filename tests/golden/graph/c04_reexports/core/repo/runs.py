from sqlalchemy.orm import Session


class RunRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def latest(self, job_id: int):
        return self.session.execute("SELECT * FROM runs WHERE job_id = :j", {"j": job_id}).first()
