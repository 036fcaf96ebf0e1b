class Job:
    id = 0
