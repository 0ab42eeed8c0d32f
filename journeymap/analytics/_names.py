"""Default column names of an event log: the names :func:`~journeymap.analytics.read_events` writes (a leaf)."""

CASE = "case_id"
ACTIVITY = "activity"
TIMESTAMP = "timestamp"
CHANNEL = "channel"
