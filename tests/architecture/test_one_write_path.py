"""One write path: an API write goes through the same service as the page. A viewset may not let DRF save a model
serializer (``serializer.save()``) or delete a row (``instance.delete()``) itself, and no API module calls
``serializer.save()``: the service owns validation, locking and audit."""

import ast
import inspect
from pathlib import Path

from django.conf import settings
from rest_framework import mixins, viewsets

from .routes import api_routes, api_view_classes

ROOT = Path(settings.BASE_DIR)
APPS = ["accounts", "houses", "residents", "billing", "compliance", "reports"]
# The HTTP method of each write action, and the DRF default its mixin calls (the one that saves on its own).
WRITES = {
    "create": ("post", "perform_create", mixins.CreateModelMixin),
    "update": ("put", "perform_update", mixins.UpdateModelMixin),
    "partial_update": ("patch", "perform_update", mixins.UpdateModelMixin),
    "destroy": ("delete", "perform_destroy", mixins.DestroyModelMixin),
}


def _defined_along(view, name: str):
    """The classes of ``view``'s MRO that define ``name``, nearest first."""
    return [klass for klass in view.__mro__ if name in vars(klass)]


def _reaches(view, name: str, target: str, mixin) -> bool:
    """Whether calling ``view.<name>`` ends in ``mixin``'s own ``name`` method, or calls ``self.<target>``, following
    each override that hands on to ``super()``."""
    for klass in _defined_along(view, name):
        if klass is mixin:
            return True
        source = inspect.getsource(vars(klass)[name])
        if target and f"self.{target}(" in source:
            return True
        if f"super().{name}(" not in source:
            return False
    return False


def _runs_drf_default(view, action: str) -> bool:
    """Whether the view's ``action`` ends in the mixin's own ``perform_*`` (which saves or deletes by itself)."""
    method, perform, mixin = WRITES[action]
    if method not in view.http_method_names or not hasattr(view, action):
        return False
    if not _reaches(view, action, perform, mixin):
        return False  # a handler of its own, which does not go through perform_*
    return _reaches(view, perform, "", mixin)


def offenders(view_actions) -> list[str]:
    """``"Module.View.action uses DRF's perform_*"`` for each (view class, actions) whose write saves by itself."""
    found = []
    for view, actions in view_actions:
        for action in actions:
            if action in WRITES and _runs_drf_default(view, action):
                perform = WRITES[action][1]
                found.append(f"{view.__module__}.{view.__qualname__}.{action} uses DRF's default {perform}")
    return sorted(set(found))


def _routed_view_actions():
    for route in api_routes():
        view = route.view_class
        if view is None:
            continue
        if issubclass(view, viewsets.ViewSetMixin):
            yield view, set(route.actions.values())
        else:  # a generic view: its handlers call the mixin's action
            yield view, {action for action, (method, _p, _m) in WRITES.items() if hasattr(view, method)}


def api_modules() -> list[Path]:
    """Every module that defines API views: the API packages and modules of each app (``api.py``, ``api/``,
    ``*_api.py``, ``api_*.py``), the webhook, and the module of every view routed under /api/v1/."""
    paths = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or "tests" in relative.parts:
                continue
            if (
                "api" in relative.parts
                or path.stem == "api"
                or path.stem.endswith("_api")
                or path.stem.startswith("api_")
            ):
                paths.add(path)
    paths.add(ROOT / "billing" / "webhooks.py")
    for view in api_view_classes():
        for klass in view.__mro__:
            if klass.__module__.split(".")[0] in APPS:
                paths.add(Path(inspect.getsourcefile(klass)))
    return sorted(paths)


def serializer_saves(source: str, filename: str) -> list[str]:
    """``"file:line in Class.method"`` for each ``<something serializer>.save(...)`` call in ``source``."""
    found = []

    def visit(node, where):
        for child in ast.iter_child_nodes(node):
            inner = where
            if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                inner = f"{where}.{child.name}" if where else child.name
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr == "save"
                and "serializer" in ast.unparse(child.func.value).lower()
            ):
                found.append(f"{filename}:{child.lineno} in {where or '<module>'}: {ast.unparse(child)}")
            visit(child, inner)

    visit(ast.parse(source), "")
    return found


def test_no_routed_viewset_lets_drf_save_or_delete_by_itself():
    found = offenders(_routed_view_actions())
    assert not found, "call a service in perform_create/perform_update/perform_destroy instead:\n" + "\n".join(found)


def test_no_api_module_saves_a_serializer():
    found = []
    for path in api_modules():
        found += serializer_saves(path.read_text(), str(path.relative_to(ROOT)))
    assert not found, "the service writes, the serializer only parses and presents:\n" + "\n".join(found)


def test_the_scan_reads_the_api_modules_of_every_app():
    scanned = {path.relative_to(ROOT).parts[0] for path in api_modules()}
    assert scanned >= set(APPS)
    assert ROOT / "houses" / "staff_api.py" in api_modules()


# The guards must catch a real offender: a throwaway viewset that lets DRF save, and one that does not.
class _SavesByItself(viewsets.ModelViewSet):
    pass


class _CallsAService(viewsets.ModelViewSet):
    def perform_create(self, serializer):
        serializer.instance = object()

    def perform_update(self, serializer):
        serializer.instance = object()

    def perform_destroy(self, instance):
        return None


class _HandsOnToDrf(viewsets.ModelViewSet):
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        self.audited = True
        super().perform_create(serializer)


class _OwnHandler(viewsets.ModelViewSet):
    def create(self, request, *args, **kwargs):
        return None


class _ReadOnly(viewsets.ModelViewSet):
    http_method_names = ["get", "head", "options"]


def test_a_viewset_left_on_drfs_defaults_is_named_with_each_write():
    found = offenders([(_SavesByItself, {"list", "create", "update", "partial_update", "destroy"})])
    assert [line.rsplit(".", 1)[-1] for line in found] == [
        "create uses DRF's default perform_create",
        "destroy uses DRF's default perform_destroy",
        "partial_update uses DRF's default perform_update",
        "update uses DRF's default perform_update",
    ]
    assert all(line.startswith(f"{__name__}._SavesByItself.") for line in found)


def test_a_viewset_whose_writes_call_services_passes():
    assert offenders([(_CallsAService, {"create", "update", "partial_update", "destroy"})]) == []


def test_an_override_that_hands_on_to_drfs_default_is_caught():
    assert offenders([(_HandsOnToDrf, {"create", "update"})]) == [
        f"{__name__}._HandsOnToDrf.create uses DRF's default perform_create"
    ]


def test_a_handler_of_its_own_that_never_calls_perform_create_passes():
    assert offenders([(_OwnHandler, {"create"})]) == []


def test_a_write_the_viewset_does_not_allow_is_not_counted():
    assert offenders([(_ReadOnly, {"create", "destroy"})]) == []


def test_a_serializer_save_is_found_with_its_place():
    source = "class V:\n    def perform_create(self, serializer):\n        serializer.save(organization=1)\n"
    assert serializer_saves(source, "x/api.py") == ["x/api.py:3 in V.perform_create: serializer.save(organization=1)"]


def test_a_model_save_is_not_a_serializer_save():
    assert serializer_saves("def f(house):\n    house.save()\n", "x/api.py") == []
