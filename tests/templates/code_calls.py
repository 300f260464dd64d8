"""Which AWS API actions the product code can call, read from its source (no execution).

An AST walk from a function's entry module follows the imports inside the product packages, finds
the services the code makes clients for (``.client("redshift-serverless")``) and then every call
of one of those services' operations, in the three forms the code uses:

- ``client.create_scheduled_action(...)``: a method named after an operation (snake_case);
- ``client.get_paginator("list_workgroups")``;
- ``_pages(client, "ListNamespaces", ...)``: an operation name handed, next to a variable
  named ``client``, to a helper that calls it.

Names are mapped through botocore's service models, so a typo or a method that is not an
operation never turns into an IAM action. crhelper's polling calls are read from crhelper's own
source the same way, its clients identified by their ``boto3.client("service")`` assignment.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import botocore.session
import crhelper.resource_helper
from botocore import xform_name

from tests.templates.cfn import ROOT

PRODUCT_PACKAGES = ("custom_resource", "event_listener")
POLLING_DECORATORS = frozenset({"poll_create", "poll_update", "poll_delete"})


@cache
def _operations(service: str) -> dict[str, str]:
    """snake_case method name -> operation name of one service."""
    model = botocore.session.get_session().get_service_model(service)
    return {xform_name(name): name for name in model.operation_names}


@cache
def _iam_prefix(service: str) -> str:
    model = botocore.session.get_session().get_service_model(service)
    return str(model.signing_name)


def _module_path(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def reachable_modules(entry: str) -> list[str]:
    """The product modules ``entry`` imports, directly or not, itself included."""
    seen: set[str] = set()
    pending = [entry]
    while pending:
        module = pending.pop()
        path = _module_path(module)
        if module in seen or path is None:
            continue
        seen.add(module)
        pending.extend(target for target, _ in _imports(module, _parse(path)).values())
        parts = module.split(".")
        pending.extend(".".join(parts[:depth]) for depth in range(1, len(parts)))
    return sorted(seen)


def _imports(module: str, tree: ast.Module) -> dict[str, tuple[str, str | None]]:
    """Local name -> (module, attribute or None) for the imports of product code."""
    package = module if _module_path(module + ".__init__") else module.rpartition(".")[0]
    names: dict[str, tuple[str, str | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PRODUCT_PACKAGES:
                    local = alias.asname or alias.name.split(".")[0]
                    names[local] = (alias.name if alias.asname else local, None)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            if base.split(".")[0] not in PRODUCT_PACKAGES:
                continue
            for alias in node.names:
                target = f"{base}.{alias.name}"
                local = alias.asname or alias.name
                names[local] = (target, None) if _module_path(target) else (base, alias.name)
    return names


@dataclass
class _Definitions:
    """The top-level definitions of one module: functions, classes and their methods, and
    module-level assignments, each with the AST that runs when it is used."""

    module: str
    bodies: dict[str, ast.AST] = field(default_factory=dict)
    methods: dict[str, list[str]] = field(default_factory=dict)
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)


@cache
def _definitions(module: str) -> _Definitions:
    path = _module_path(module)
    assert path is not None, module
    tree = _parse(path)
    found = _Definitions(module, imports=_imports(module, tree))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.bodies[node.name] = node
        elif isinstance(node, ast.ClassDef):
            found.bodies[node.name] = node
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    found.bodies[f"{node.name}.{item.name}"] = item
                    found.methods.setdefault(item.name, []).append(f"{node.name}.{item.name}")
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found.bodies[target.id] = node.value
    return found


def _references(module: str, name: str) -> Iterator[tuple[str, str]]:
    """The definitions that using ``module.name`` may run (over-approximated)."""
    definitions = _definitions(module)
    body = definitions.bodies[name]
    if isinstance(body, ast.ClassDef):
        yield from ((module, f"{body.name}.{method}") for method in _class_methods(body))

    for node in ast.walk(body):
        if isinstance(node, ast.Name):
            if node.id in definitions.bodies:
                yield module, node.id
            elif node.id in definitions.imports:
                target, attribute = definitions.imports[node.id]
                if attribute:
                    yield target, attribute
        elif isinstance(node, ast.Attribute):
            # self.x, resource.create: any method of this module's classes with that name.
            for method in definitions.methods.get(node.attr, []):
                yield module, method
            if isinstance(node.value, ast.Name) and node.value.id in definitions.imports:
                target, attribute = definitions.imports[node.value.id]
                if attribute is None:
                    yield target, node.attr


def _class_methods(node: ast.ClassDef) -> list[str]:
    return [item.name for item in node.body if isinstance(item, ast.FunctionDef)]


@cache
def reachable_definitions(entry: str, function: str = "handler") -> tuple[ast.AST, ...]:
    """The ASTs of every product definition that calling ``entry.function`` may run."""
    seen: set[tuple[str, str]] = set()
    pending = [(entry, function)]
    while pending:
        module, name = pending.pop()
        if (module, name) in seen or _module_path(module) is None:
            continue
        if name not in _definitions(module).bodies:
            continue
        seen.add((module, name))
        pending.extend(_references(module, name))
    return tuple(_definitions(module).bodies[name] for module, name in sorted(seen))


def _services(tree: ast.AST) -> set[str]:
    services: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "client"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            services.add(node.args[0].value)
    return services


# NOTE: only the three call forms of the module docstring are recognised; a call written any
# other way escapes the IAM test (see Limitations in docs/deployment.md).
def _called_names(tree: ast.AST) -> Iterator[str]:
    """Method names called, paginator names, and operation names handed over with a client."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute):
            yield node.func.attr
            if node.func.attr == "get_paginator" and node.args:
                yield from _string_constants(node.args[:1])
        if any(isinstance(arg, ast.Name) and arg.id == "client" for arg in node.args):
            yield from _string_constants(node.args)


def _string_constants(nodes: list[ast.expr]) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def _actions(names: set[str], services: set[str]) -> set[str]:
    actions: set[str] = set()
    for service in services:
        operations = _operations(service)
        operation_names = set(operations.values())
        for name in names:
            operation = operations.get(name) or (name if name in operation_names else None)
            if operation:
                actions.add(f"{_iam_prefix(service)}:{operation}")
    return actions


def product_actions(entry: str) -> set[str]:
    """IAM actions of every AWS call that the handler of module ``entry`` can make."""
    modules = reachable_modules(entry)
    services = set().union(*(_services(_parse(_path(module))) for module in modules))
    names = {name for body in reachable_definitions(entry) for name in _called_names(body)}
    return _actions(names, services)


def uses_crhelper_polling(entry: str) -> bool:
    """True when the handler of module ``entry`` registers a crhelper polling function."""
    return any(
        isinstance(node, ast.Attribute) and node.attr in POLLING_DECORATORS
        for body in reachable_definitions(entry)
        for node in ast.walk(body)
    )


def _path(module: str) -> Path:
    path = _module_path(module)
    assert path is not None, module
    return path


def crhelper_polling_actions() -> set[str]:
    """IAM actions of the calls crhelper makes on its own clients (polling set-up and teardown)."""
    tree = _parse(Path(crhelper.resource_helper.__file__))
    clients: dict[str, str] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Attribute)
            and isinstance(node.value, ast.Call)
            and node.value.args
            and isinstance(node.value.args[0], ast.Constant)
        ):
            clients[node.targets[0].attr] = str(node.value.args[0].value)

    actions: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr in clients
        ):
            actions |= _actions({node.func.attr}, {clients[node.func.value.attr]})
    return actions
