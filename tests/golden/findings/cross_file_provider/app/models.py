class Job:
    __table__ = None
