"""The deadline-rush load test: PostgreSQL, gunicorn and Locust on loopback.

``harness.run_load`` does everything and cleans up after itself; ``bench.bench_load``
(full size, for ``make bench``) and ``tests/portal/test_load_short.py`` (short) call it.
Only the Locust subprocesses import ``locustfile``, ``rampfile`` and the resident's
visit they share, ``resident`` (and with them gevent).
"""
