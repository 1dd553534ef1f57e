"""A real Celery worker for the fault tests (``python -m tests.faults.slow_worker <queue>``): the project's app and
settings, consuming only ``queue``. With ``HEARTH_FAULTS_SLOW_REPORT`` (seconds) each report pauses that long before
rendering and after each house, so a test can kill the worker while a report is "running". Nothing of this is
imported by the app: the pause exists only in this process."""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
django.setup()

from config.celery import app  # noqa: E402 - after django.setup()
from reports import pdf  # noqa: E402

PAUSE = float(os.environ.get("HEARTH_FAULTS_SLOW_REPORT", "0"))


def _slowed(render):
    def render_slowly(*args, on_house_done, **kwargs):
        def progress(done, total):
            on_house_done(done, total)
            time.sleep(PAUSE)

        time.sleep(PAUSE)
        return render(*args, on_house_done=progress, **kwargs)

    return render_slowly


if __name__ == "__main__":
    if PAUSE:
        pdf.render_monthly = _slowed(pdf.render_monthly)  # report_generate imports it when it runs
    queue = sys.argv[1]
    app.worker_main(["worker", "-P", "solo", "-Q", queue, "-l", "WARNING", "--without-gossip", "--without-mingle"])
