"""The library's shape: layers that import only downwards, public names across modules,
views that compute nothing, and one module per chapter (see CONTRIBUTING.md).

Read from the sources with ``ast``; nothing is imported or run.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "lib" / "paramopt"
MODULES = sorted(p for p in LIB.rglob("*.py"))
CHAPTERS = {p.stem for p in (ROOT / "book").glob("*.ipynb")}

#: the layers, bottom first; a module may import from its own layer and the ones below
LAYERS = {"validation": 0, "style": 0, "captions": 0, "nn": 1, "optim": 1, "data": 1,
          "widgets": 3, "exercises": 4}  # fmt: skip
CONCEPTS = 2  # every other top-level module: surfaces, train, momentum, decay, ...
FRAMEWORK = {"widgets": {"__init__", "explorer", "controls", "playground", "figures"},
             "exercises": {"__init__", "checking"}}  # fmt: skip


def name_of(path):
    return ".".join(path.relative_to(LIB.parent).with_suffix("").parts).removesuffix(".__init__")


def layer(module):
    """The layer of ``paramopt.x...``: that of its top-level part x."""
    parts = module.split(".")
    return LAYERS.get(parts[1], CONCEPTS) if len(parts) > 1 else None


def imported(tree):
    """The paramopt modules a source imports, with the line of each import."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("paramopt"):
            if node.module == "paramopt":  # from paramopt import nn, optim
                yield from ((f"paramopt.{a.name}", node.lineno) for a in node.names)
            else:
                yield node.module, node.lineno
        elif isinstance(node, ast.Import):
            yield from ((a.name, node.lineno) for a in node.names if a.name.startswith("paramopt"))


def is_private(name):
    return name.startswith("_") and not name.endswith("_")  # not __dunder__, _repr_html_


def own_names(tree):
    """Every name a module defines itself: functions, classes, assignments, attributes."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
    return names


def is_self(node):
    """``self``, ``cls`` or ``super()``: a class reaching its own (inherited) members."""
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id == "super"
    return isinstance(node, ast.Name) and node.id in ("self", "cls")


def foreign_private_names(tree):
    """``_name`` imported from, or looked up on, something that another module defines.

    A class's own members (``self._x``, inherited ones included) are its business.
    """
    own = own_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if is_private(alias.name):
                    yield f"line {node.lineno}: from {node.module} import {alias.name}"
        elif (
            isinstance(node, ast.Attribute)
            and is_private(node.attr)
            and node.attr not in own
            and not is_self(node.value)
        ):
            yield f"line {node.lineno}: {ast.unparse(node)}"


def calls_in_loops(tree, methods):
    for loop in ast.walk(tree):
        if isinstance(loop, ast.For | ast.While | ast.comprehension):
            for node in ast.walk(loop if not isinstance(loop, ast.comprehension) else loop.iter):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in methods
                ):
                    yield f"line {node.lineno}: {ast.unparse(node)}"


def parse(path):
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("path", MODULES, ids=name_of)
def test_nothing_imports_upwards(path):
    own = layer(name_of(path))
    if own is None:
        return  # paramopt/__init__ imports submodules lazily, by name
    upward = [f"line {n}: {m}" for m, n in imported(parse(path)) if (layer(m) or 0) > own]
    assert not upward, f"{name_of(path)} (layer {own}) imports from above: {upward}"


@pytest.mark.parametrize("path", MODULES, ids=name_of)
def test_no_module_uses_another_modules_private_names(path):
    found = list(foreign_private_names(parse(path)))
    assert not found, f"{name_of(path)} uses private names it does not define: {found}"


@pytest.mark.parametrize("path", sorted((LIB / "widgets").glob("*.py")), ids=name_of)
def test_widgets_are_views_that_train_nothing(path):
    found = list(calls_in_loops(parse(path), {"step", "backward"}))
    assert not found, f"{name_of(path)} trains in a loop (move it to a concept module): {found}"


@pytest.mark.parametrize("package", sorted(FRAMEWORK))
def test_every_view_and_exercise_module_is_named_after_a_chapter(package):
    names = {p.stem for p in (LIB / package).glob("*.py")} - FRAMEWORK[package]
    assert names <= CHAPTERS, f"{package}/ modules not named after a chapter: {names - CHAPTERS}"


def test_the_checks_can_fail():
    tree = ast.parse(
        "import paramopt.widgets\nfrom paramopt.surfaces import _check\nx = surfaces._f(1)\n"
        "for _ in range(3):\n    opt.step(g)\nself._mine = 1\ny = other._mine + self._base()\n"
    )
    assert [m for m, _ in imported(tree)] == ["paramopt.widgets", "paramopt.surfaces"]
    assert layer("paramopt.widgets.sgd") == 3 and layer("paramopt.surfaces") == CONCEPTS
    assert list(foreign_private_names(tree)) == [
        "line 2: from paramopt.surfaces import _check",
        "line 3: surfaces._f",
    ]
    assert list(calls_in_loops(tree, {"step"})) == ["line 5: opt.step(g)"]
