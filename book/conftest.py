"""While nbval executes a chapter, each cell's outputs are checked as a reader meets them.

A cell fails when an output shows a numpy repr (``np.float64(0.000316…)``) or when a value
it glues reaches the prose in e-notation (``3.16e-04``); ``tests/notebook_checks.py`` says
why and how to fix each. This runs under every OpenBLAS kernel of ``make
notebooks-kernels``, where the numbers are computed anyway.
"""

import importlib.util
import json
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "notebook_checks", Path(__file__).resolve().parent.parent / "tests" / "notebook_checks.py"
)
checks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(checks)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    outputs = getattr(item, "test_outputs", None)  # nbval's cell items keep what they ran
    if not outputs:
        return result
    problems = [f"numpy repr in an output: …{text}…" for text in checks.numpy_reprs(outputs)]
    notebook = _notebook(Path(str(item.fspath)))
    problems += [
        f"glued {key!r} reaches the prose as {pasted!r} (format {fmt!r}): glue "
        "paramopt.style.number(x) instead"
        for key, fmt, pasted in checks.e_notation(notebook, outputs)
    ]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
    return result


_notebooks = {}


def _notebook(path):
    if path not in _notebooks:
        _notebooks[path] = json.loads(path.read_text(encoding="utf-8"))
    return _notebooks[path]
