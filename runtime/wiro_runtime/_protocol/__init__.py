"""Wiro's protocol, free of I/O: auth, the envelope, requests, the wire table, tasks,
frames, errors."""
