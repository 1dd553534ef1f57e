"""A task is not the request that queued it. Run eagerly (``CELERY_TASK_ALWAYS_EAGER`` in development and tests),
it would otherwise inherit the request's audit channel: its reads credited to the request's user and path, and lost
if the request failed. Each task runs outside any request, as on a worker."""

from contextlib import ExitStack

from celery.signals import task_postrun, task_prerun

from .audit import outside_any_request

_running: dict[str, ExitStack] = {}


@task_prerun.connect(dispatch_uid="accounts.audit.task_prerun")
def leave_the_request(task_id=None, **kwargs):
    stack = ExitStack()
    stack.enter_context(outside_any_request())
    _running[task_id] = stack


@task_postrun.connect(dispatch_uid="accounts.audit.task_postrun")
def return_to_the_request(task_id=None, **kwargs):
    stack = _running.pop(task_id, None)
    if stack is not None:
        stack.close()
