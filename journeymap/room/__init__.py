"""The workshop room: participants join from their browsers, add sticky notes, vote and comment.

:mod:`~journeymap.room.oplog` (the op log and its merge), :mod:`~journeymap.room.state` (one room on disk),
:mod:`~journeymap.room.server` (the HTTP server and its pages). See docs/workshop_room.md.
"""
