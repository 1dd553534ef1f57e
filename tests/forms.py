"""Submitting a page's form the way a browser does.

``client.submit(url, data)`` loads ``url``, finds the form in the HTML, starts from the values its own fields hold
(hidden inputs, checked boxes, selected options, text already filled in), lays the test's values over them and sends
the result to the form's own ``action`` with its own ``method``. A test can then only pass if the form a person sees
really does what the test says: a field the form does not render, an action that points at the API, a POST form
without a CSRF token or an upload form that would not send the file all fail the test instead.
"""

from urllib.parse import urljoin, urlsplit

import lxml.html
from django.test import Client

FILE_FIELD_TYPES = {"file"}
BUTTON_XPATH = ".//button[not(@type) or @type='submit'] | .//input[@type='submit']"


class FormNotFound(AssertionError):
    pass


def forms_on(html: str, base_url: str) -> list:
    document = lxml.html.fromstring(html, base_url=base_url)
    return document.forms


def _text(element) -> str:
    return " ".join((element.text_content() if element.tag == "button" else element.get("value", "")).split())


def _button(form, name: str):
    for candidate in form.xpath(BUTTON_XPATH):
        if _text(candidate) == name or candidate.get("aria-label") == name:
            return candidate
    return None


def pick_form(html: str, url: str, *, form: str | None = None, button: str | None = None):
    """The one form the test means: ``form`` is a CSS selector (``"#admit"``, ``"form[action$='/move/']"``), ``button``
    the text of a submit button inside it. With neither, the page must hold exactly one form in its ``<main>``."""
    document = lxml.html.fromstring(html, base_url=url)
    if form:
        found = document.cssselect(form)
        found = [element for element in found if element.tag == "form"]
    else:
        found = document.cssselect("main form") or document.forms
    if button:
        found = [element for element in found if _button(element, button) is not None]
    if len(found) != 1:
        wanted = " ".join(
            part for part in (form and f"matching {form!r}", button and f"with a {button!r} button") if part
        )
        actions = [f"{f.get('method', 'get').upper()} {f.get('action')}" for f in document.forms]
        raise FormNotFound(f"{url} has {len(found)} forms {wanted or 'in <main>'} (its forms: {actions})")
    return found[0], (_button(found[0], button) if button else None)


def fill(form, data: dict | None, clicked=None) -> dict:
    """The values a browser sends: the form's own, with ``data`` laid over them. A value of ``None`` unticks a box
    or leaves a field out. A name the form has no field for is a mistake in the test or in the page."""
    names = {element.get("name") for element in form.xpath(".//input|.//select|.//textarea") if element.get("name")}
    values: dict[str, list] = {}
    for name, value in form.form_values():
        values.setdefault(name, []).append(value)
    for name, value in (data or {}).items():
        if name not in names:
            raise AssertionError(
                f"the form {form.get('action')!r} has no field named {name!r} (it has {sorted(names)})"
            )
        if value is None:
            values.pop(name, None)
        elif isinstance(value, list | tuple):
            values[name] = list(value)
        else:
            values[name] = [value]
    if clicked is not None and clicked.get("name"):
        values[clicked.get("name")] = [clicked.get("value", "")]
    return {name: items if len(items) > 1 else items[0] for name, items in values.items()}


class FormClient(Client):
    """Django's test client with ``submit()``: the page's form, filled and sent as a browser would."""

    def submit(self, url: str, data: dict | None = None, *, form: str | None = None, button: str | None = None,
               follow: bool = False, **extra):  # fmt: skip
        """Load ``url`` and send its form."""
        return self.load_form(url, data, form=form, button=button, **extra)(follow=follow)

    def load_form(self, url: str, data: dict | None = None, *, form: str | None = None, button: str | None = None,
                  **extra):  # fmt: skip
        """Load ``url`` now and pick its form; returns ``send(more=None, follow=False)``, which sends that form as it
        was rendered at this load, filled with ``data`` and ``more``: a page left open while someone else acts, a
        second tab, a double click."""
        shown = self.get(url, **extra)
        assert shown.status_code == 200, f"GET {url} answered {shown.status_code}, so there is no form to submit"
        chosen, clicked = pick_form(shown.content.decode(), url, form=form, button=button)
        method = ((clicked is not None and clicked.get("formmethod")) or chosen.get("method") or "get").lower()
        target = urljoin(url, (clicked is not None and clicked.get("formaction")) or chosen.get("action") or url)
        assert not urlsplit(target).path.startswith("/api/"), f"the form on {url} posts to the API ({target})"
        if method == "post":
            assert chosen.xpath(".//input[@name='csrfmiddlewaretoken']"), f"the POST form on {url} has no CSRF token"
            has_file = chosen.xpath(".//input[@type='file']")
            assert not has_file or chosen.get("enctype") == "multipart/form-data", (
                f"the upload form on {url} is not multipart/form-data, so a browser would send no file"
            )

        def send(more: dict | None = None, *, follow: bool = False):
            values = fill(chosen, {**(data or {}), **(more or {})}, clicked)
            request = self.post if method == "post" else self.get
            return request(target, values, follow=follow, **extra)

        return send

    def submit_twice(self, url: str, data: dict | None = None, *, again: dict | None = None,
                     form: str | None = None, button: str | None = None, follow: bool = False) -> tuple:  # fmt: skip
        """The form of ``url`` sent twice from one load of the page; ``again`` changes fields of the second post.
        Returns both answers."""
        send = self.load_form(url, data, form=form, button=button)
        return send(follow=follow), send(again, follow=follow)
