def normalise(value):
    return value
