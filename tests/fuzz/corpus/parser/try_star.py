try:
    run()
except* ValueError as group:
    handle(group)
except* (TypeError, KeyError):
    pass
