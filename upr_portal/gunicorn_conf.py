"""gunicorn's settings in the image (Dockerfile, docker-compose.yml):
``gunicorn -c python:upr_portal.gunicorn_conf upr_portal.wsgi``; options on the command line win.

gunicorn reads names it knows from this module and ignores the rest. Like settings.py it reads the
environment through EnvReader, so a malformed value stops start-up with the variable's name.
"""

from upr_portal.env import EnvReader

_env = EnvReader()

bind = "0.0.0.0:8000"
workers = _env.integer("WEB_CONCURRENCY", 3, minimum=1)
# Workers are replaced now and then: rendering pages and documents grows a process's memory.
max_requests = 500
max_requests_jitter = 50
timeout = 60
accesslog = "-"
# gunicorn's control socket would go under HOME, and nobody manages the server through it here.
control_socket_disable = True

# Whom gunicorn believes when a request says it came over HTTPS (X-Forwarded-Proto and the like, which
# set wsgi.url_scheme, and so Django's request.is_secure() and the links it builds). Behind the
# TLS-terminating proxy (DJANGO_BEHIND_TLS_PROXY, as settings.py reads it) any peer: its address inside
# Docker's network is not known in advance, and the port is published on 127.0.0.1 only, for that proxy.
# Without a proxy nobody, not even 127.0.0.1 (gunicorn's default), since every client then speaks to
# gunicorn directly and could claim HTTPS.
forwarded_allow_ips = "*" if _env.boolean("DJANGO_BEHIND_TLS_PROXY", False) else ""
