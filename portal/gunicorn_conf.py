"""gunicorn settings for the app servers: ``gunicorn -c python:portal.gunicorn_conf``.

The access log leaves out the query string and the Referer: a login link
(``/inloggen/link/?t=...``) and a second-factor invitation carry their one-time token
in the query string, and nothing that can log someone in belongs in a log file. The
path (``%(U)s``) is enough to see which page was asked for.
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
