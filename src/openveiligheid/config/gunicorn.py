"""gunicorn settings shared by `openveiligheid serve` and a plain gunicorn command line:

    gunicorn -c python:openveiligheid.config.gunicorn openveiligheid.config.wsgi:application

Only what every deployment wants belongs here; bind address and workers stay options.
"""

import gc


def post_worker_init(worker):
    """Keep the full garbage collections short.

    After start-up a worker holds a few hundred thousand long-lived objects (Django, the apps,
    the URL configuration). Every generation-2 collection walked all of them: 60-75 ms each, a
    dozen times per hundred dashboard requests, which made the latency tail. gc.freeze() moves
    what exists now into a permanent generation that collections skip; what requests allocate is
    still collected as before. Collect first, so nothing already garbage is kept forever.
    """
    gc.collect()
    gc.freeze()
