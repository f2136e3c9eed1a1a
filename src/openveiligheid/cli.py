"""The `openveiligheid` console script: Django's management entry point with our own commands."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openveiligheid.config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings, which check the environment
    except ImproperlyConfigured as exc:
        sys.exit(f"openveiligheid: {exc}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
