"""The `clusterportal` command.

`clusterportal atlas ...` runs the atlas engine on a user's own files and needs
no database, so it does not start Django. Everything else is a Django
management command (`clusterportal migrate`, `clusterportal load_data`, ...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "atlas":
        from clusterportal.analytics.cli import main as atlas_main

        sys.exit(atlas_main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterportal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["clusterportal", *args])


if __name__ == "__main__":
    main()
