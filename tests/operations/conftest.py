import io
import json
import logging

import pytest

from accounts.request_log import ContextFilter, JsonFormatter


class CapturedLog:
    def __init__(self, stream: io.StringIO):
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def of(self, logger: str) -> list[dict]:
        return [line for line in self.lines() if line["logger"] == logger]


@pytest.fixture
def json_log():
    """Everything logged during the test, formatted as production formats it (LOG_FORMAT=json)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield CapturedLog(stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
