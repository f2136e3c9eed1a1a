"""`openveiligheid serve`: the production server (gunicorn; static files through whitenoise)."""

import os

from django.conf import settings
from django.core.management import call_command

from openveiligheid.core.log import LoggedCommand


class Command(LoggedCommand):
    help = "Start de productieserver (gunicorn) met statische bestanden via whitenoise."

    def add_arguments(self, parser):
        # Loopback by default: the product belongs behind a TLS-terminating proxy on the same
        # host; binding elsewhere is a deliberate choice (--bind 0.0.0.0:8000).
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--forwarded-allow-ips",
            default=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
            help="Proxies (IP-adressen, kommagescheiden) waarvan X-Forwarded-Proto geldt.",
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument("--no-collectstatic", action="store_true")
        parser.add_argument("--migrate", action="store_true", help="Eerst migraties uitvoeren.")

    def handle(self, *args, **options):
        from gunicorn.app.base import BaseApplication

        if options["migrate"]:
            call_command("migrate", interactive=False)
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)

        from openveiligheid.config import gunicorn as gunicorn_config
        from openveiligheid.config.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", options["bind"])
                self.cfg.set("workers", options["workers"])
                self.cfg.set("accesslog", "-")
                self.cfg.set("timeout", 60)
                self.cfg.set("forwarded_allow_ips", options["forwarded_allow_ips"])
                # No control socket: its default path is shared by every instance of a user, and
                # a process manager (systemd) restarts and reloads the server instead.
                self.cfg.set("control_socket_disable", True)
                # The same hooks as `gunicorn -c python:openveiligheid.config.gunicorn`.
                self.cfg.set("post_worker_init", gunicorn_config.post_worker_init)

            def load(self):
                return application

        self.stdout.write(
            f"Open Veiligheid op http://{options['bind']} ({options['workers']} workers, "
            f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})"
        )
        Server().run()
