"""Use cases of a comment: submit it, act on it as a moderator, read the queue, present it."""
