"""``statuspage init``: templates and the writer of a new status page repository."""
