"""gunicorn settings for `make serve`, from the same STUDYGROUP_* environment the app reads.

The app itself (database, secret key, Redis for rate limits) is configured as always:
instance/config.py and STUDYGROUP_* variables; here only how it is served.
"""

import multiprocessing
import os

wsgi_app = "studygroup:create_app()"
bind = os.environ.get("STUDYGROUP_BIND", "127.0.0.1:8000")
# Two per core (and one more) is gunicorn's advice; a small machine keeps at least two.
workers = int(os.environ.get("STUDYGROUP_WORKERS", max(2, 2 * multiprocessing.cpu_count() + 1)))
timeout = int(os.environ.get("STUDYGROUP_WORKER_TIMEOUT", "30"))
graceful_timeout = 30
# Behind a TLS proxy on this machine: trust its X-Forwarded-Proto, so links say https.
forwarded_allow_ips = os.environ.get("STUDYGROUP_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("STUDYGROUP_ACCESS_LOG", "-")
errorlog = "-"
# One fixed control socket path per user would clash between installations on one machine.
control_socket_disable = True
