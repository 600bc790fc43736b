"""The ``pilar`` console command: Django's management commands with Pilar's settings.

Pilar's own commands are spelled with hyphens (``pilar load-regions``); Django module
names can't hold one, so the hyphenated spelling is mapped to the underscore one.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilar.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["pilar", *args])


if __name__ == "__main__":
    main()
