#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] == ["makemigrations"]:
        # Writing or checking migrations reads models only; production settings would refuse to load without a key.
        os.environ.setdefault("SECRET_KEY", "makemigrations-signs-nothing")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
