import logging
from contextlib import contextmanager, nullcontext
from types import SimpleNamespace

import pytest
from celery.app.trace import trace_task
from django.http import HttpResponse
from django.test.signals import template_rendered
from django.urls import reverse

from accounts import request_log
from accounts.exceptions import Conflict
from config.celery import app

ACCESS_KEYS = {"method", "path", "route", "status", "duration_ms", "request_id", "organization_id", "user_id"}


@app.task(name="tests.operations.add")
def add(x, y, organization_id=None):
    logging.getLogger("tests.operations").info("adding")
    return x + y


def test_a_page_request_writes_exactly_one_json_access_line(page, manager, json_log):
    response = page(manager).get(reverse("dashboard"))
    assert response.status_code == 200
    [line] = json_log.of("hearth.access")
    assert line.keys() >= ACCESS_KEYS
    assert (line["method"], line["path"], line["route"], line["status"]) == ("GET", "/dashboard/", "dashboard", 200)
    assert (line["user_id"], line["organization_id"]) == (manager.user.pk, manager.organization_id)
    assert line["request_id"] == response["X-Request-ID"]


def test_an_api_request_logs_the_token_users_organization(api, operator, json_log):
    api(operator).get("/api/v1/houses/")
    [line] = json_log.of("hearth.access")
    assert (line["user_id"], line["organization_id"], line["route"]) == (
        operator.user.pk,
        operator.organization_id,
        "api:house-list",
    )


def test_the_signed_in_users_email_and_name_never_reach_the_log(page, manager, json_log):
    page(manager).get(reverse("dashboard") + f"?q={manager.user.email}&token=s3cret")
    assert json_log.of("hearth.access")[0]["path"] == "/dashboard/"
    for secret in (manager.user.email, manager.user.full_name, "s3cret", "127.0.0.1"):
        assert secret not in json_log.text


def test_a_refused_api_request_is_logged_without_a_user(client, json_log):
    response = client.get("/api/v1/houses/")
    assert response.status_code == 401
    [line] = json_log.of("hearth.access")
    assert (line["status"], line["user_id"], line["organization_id"]) == (401, None, None)


def test_an_unknown_address_is_logged_without_a_route(client, json_log):
    client.get("/no-such-page/")
    [line] = json_log.of("hearth.access")
    assert (line["status"], line["route"]) == (404, None)


def test_a_sane_request_id_from_the_caller_is_kept_and_echoed(client, json_log):
    response = client.get(reverse("login"), headers={"X-Request-ID": "edge-4f2a.17"})
    assert response["X-Request-ID"] == "edge-4f2a.17"
    assert json_log.of("hearth.access")[0]["request_id"] == "edge-4f2a.17"


def test_a_request_id_that_is_not_a_plain_token_is_replaced(client):
    response = client.get(reverse("login"), headers={"X-Request-ID": 'x" injected=1'})
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"].isalnum()


def test_a_secret_in_the_path_is_not_logged(client, json_log):
    client.get("/accounts/invitations/abcdef-very-secret/")
    line = json_log.of("hearth.access")[0]
    assert line["path"] == "/accounts/invitations/*/"
    assert "very-secret" not in json_log.text


def test_another_loggers_line_during_a_request_carries_its_ids(page, manager, json_log):
    def log_while_rendering(**kwargs):
        logging.getLogger("billing.stripe").warning("inside the view")

    template_rendered.connect(log_while_rendering, dispatch_uid="log-while-rendering")
    try:
        response = page(manager).get(reverse("dashboard"))
    finally:
        template_rendered.disconnect(dispatch_uid="log-while-rendering")
    lines = [line for line in json_log.lines() if line["message"] == "inside the view"]
    assert lines
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    assert {(line["user_id"], line["organization_id"]) for line in lines} == {
        (manager.user.pk, manager.organization_id)
    }


def test_a_line_outside_any_request_has_no_ids(json_log):
    logging.getLogger("tests.operations").info("idle")
    [line] = json_log.lines()
    assert (line["request_id"], line["user_id"], line["organization_id"]) == (None, None, None)


def test_a_task_run_writes_one_line_with_its_id_as_request_id(json_log):
    result = add.delay(2, 3, organization_id=7)
    [line] = json_log.of("hearth.task")
    assert (line["task"], line["state"], line["task_id"]) == ("tests.operations.add", "SUCCESS", result.id)
    assert (line["request_id"], line["organization_id"]) == (result.id, 7)
    assert isinstance(line["duration_ms"], float)
    [inside] = json_log.of("tests.operations")
    assert inside["request_id"] == result.id


def test_a_task_run_inside_a_request_gives_the_request_its_id_back(rf):
    seen = []

    def view(request):
        add.delay(1, 1)
        seen.append(request_log.current().request_id)
        return HttpResponse("ok")

    response = request_log.RequestLogMiddleware(view)(rf.get("/"))
    assert seen == [response["X-Request-ID"]]


class RecordingProducer:
    """Stands in for the broker connection: keeps what would have been published."""

    connection = SimpleNamespace(_reraise_as_library_errors=nullcontext)

    def __init__(self):
        self.published = []

    def publish(self, body, **options):
        self.published.append((body, options["headers"]))


@pytest.fixture
def broker(monkeypatch):
    producer = RecordingProducer()

    @contextmanager
    def acquire(producer_given=None, **_):
        yield producer

    monkeypatch.setattr(app, "producer_or_acquire", acquire)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield producer
    finally:
        app.conf.task_always_eager = eager


# Committed for real, so the task is queued when the request's transaction commits, while the request runs.
@pytest.mark.django_db(transaction=True)
def test_a_task_queued_by_a_page_request_carries_the_requests_ids_in_its_headers(page, operator, broker):
    response = page(operator).submit("/dashboard/reports/", {"scope": ""}, button="Generate")
    [(_, headers)] = broker.published
    assert headers["task"] == "reports.tasks.generate_report"
    assert (headers["hearth_request_id"], headers["hearth_organization_id"], headers["hearth_user_id"]) == (
        response["X-Request-ID"],
        operator.organization_id,
        operator.user.pk,
    )


def test_a_task_published_outside_any_request_carries_no_ids(broker):
    add.delay(1, 2)
    [(_, headers)] = broker.published
    assert not {"hearth_request_id", "hearth_organization_id", "hearth_user_id"} & headers.keys()


def run_as_the_worker_does(body, headers):
    """The worker makes the task's request from the message headers (trace_task is what it calls)."""
    args, kwargs, _ = body
    return trace_task(add, headers["id"], args, kwargs, request={**headers, "args": args, "kwargs": kwargs}, app=app)


def test_a_task_run_from_such_a_message_logs_the_requests_ids_and_its_own_task_id(rf, broker, json_log):
    def view(request):
        request_log.identify(SimpleNamespace(pk=41, is_authenticated=True), SimpleNamespace(organization_id=7))
        add.delay(2, 3)
        return HttpResponse("ok")

    response = request_log.RequestLogMiddleware(view)(rf.get("/"))
    [(body, headers)] = broker.published
    run_as_the_worker_does(body, headers)
    expected = {"request_id": response["X-Request-ID"], "organization_id": 7, "user_id": 41, "task_id": headers["id"]}
    [task_line] = json_log.of("hearth.task")
    [inside] = json_log.of("tests.operations")
    for line in (task_line, inside):
        assert {key: line[key] for key in expected} == expected


def test_a_task_run_eagerly_inside_a_request_keeps_its_organization_and_user(rf, json_log):
    def view(request):
        request_log.identify(SimpleNamespace(pk=41, is_authenticated=True), SimpleNamespace(organization_id=7))
        add.delay(1, 1)
        return HttpResponse("ok")

    response = request_log.RequestLogMiddleware(view)(rf.get("/"))
    [inside] = json_log.of("tests.operations")
    assert (inside["request_id"], inside["organization_id"], inside["user_id"]) == (response["X-Request-ID"], 7, 41)
    assert inside["task_id"] not in (None, response["X-Request-ID"])


@app.task(name="tests.operations.refuse")
def refuse(name):
    raise Conflict(f"{name} already lives in another house")


def test_a_failed_tasks_log_lines_name_the_error_but_not_its_message(json_log):
    refuse.apply(args=("Brandon Garcia",), throw=False)
    assert "Brandon" not in json_log.text
    [failure] = [line for line in json_log.lines() if line["logger"] == "celery.app.trace"]
    assert "accounts.exceptions.Conflict: [scrubbed]" in failure["message"]
    assert failure["exc_info"].endswith("accounts.exceptions.Conflict: [scrubbed]")
    assert 'raise Conflict(f"{name} already lives in another house")' in failure["exc_info"]


def test_a_logged_traceback_keeps_a_programming_errors_message(json_log):
    try:
        None.bed  # noqa: B018 - the error is the point
    except AttributeError:
        logging.getLogger("django.request").exception("Internal Server Error: %s", "/dashboard/")
    [line] = json_log.lines()
    assert line["exc_info"].endswith("AttributeError: 'NoneType' object has no attribute 'bed'")
