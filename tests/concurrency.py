"""Real concurrency for PostgreSQL tests: jobs in threads of their own (each with its own database connection),
released at the same moment."""

import threading

from celery.result import _set_task_join_will_block
from django.db import connection


def at_once(jobs: list) -> list:
    """Runs each job in its own thread, all released together; returns their results (in finishing order) and fails
    the test if any job raised."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def run(job):
        try:
            barrier.wait()
            results.append(job())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Celery marks the whole process while an eager task runs and restores the mark it saw; two threads doing so at
    # once can leave it set, after which every later .get() in this process refuses to run.
    _set_task_join_will_block(False)
    assert errors == []
    return results
