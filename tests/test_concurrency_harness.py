import time

from celery import Celery
from celery._state import task_join_will_block

from tests.concurrency import at_once

eager = Celery("harness", set_as_current=False)
eager.conf.task_always_eager = True


@eager.task
def pause():
    time.sleep(0.001)


def test_eager_tasks_run_at_once_leave_later_tests_able_to_wait_on_results():
    for _ in range(20):
        at_once([pause.delay, pause.delay])
    assert not task_join_will_block()
