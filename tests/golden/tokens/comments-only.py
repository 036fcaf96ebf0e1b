# a comment
    # an indented comment

# the last comment has no newline