"""How fast every explorer of the book redraws in its live (Jupyter) view.

Each explorer is built exactly as its chapter builds it: the notebook's code cells run
in this process, in order, up to the cell whose last expression is an
:class:`~paramopt.widgets.Explorer`, which is captured instead of displayed (the digits
chapter's learning-rate search takes a minute or two). Then its live view is driven as a
reader would: one control at a time, through each of its values and back to the
default, three times over (this machine's speed varies from minute to minute). A
frame's time runs from setting the widget's value to the new PNG bytes being set on the
image. One line per explorer: median and 90th percentile in ms, the number of frames,
and PASS if the median is at most 50 ms.

Run with ``PYTHONPATH=lib .venv/bin/python benchmarks/bench_explorers.py [chapter ...]``.
"""

import ast
import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
# every chapter, in the book's order: the notebooks _toc.yml lists
CHAPTERS = [
    Path(entry["file"]).name
    for part in yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]
    for entry in part["chapters"]
    if (ROOT / f"{entry['file']}.ipynb").exists()
]
TARGET_MS = 50.0
ROUNDS = 3


def explorers_of(chapter):
    """Run ``book/<chapter>.ipynb``'s code cells up to its explorer; return the Explorers.

    A cell's last expression is evaluated, not displayed: an Explorer there is captured
    (and the notebook stops at the last cell that holds one).
    """
    from IPython.core.interactiveshell import InteractiveShell

    from paramopt.widgets import Explorer

    cells = json.loads((BOOK / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    last = max(i for i, s in enumerate(sources) if "explorer(" in s or "playground(" in s)
    shell = InteractiveShell.instance()
    shell.user_ns.clear()
    shell.init_user_ns()
    found = []
    cwd = os.getcwd()
    os.chdir(BOOK)
    try:
        for source in sources[: last + 1]:
            tree = ast.parse(shell.transform_cell(source))
            tail = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(tree, chapter, "exec"), shell.user_ns)
                if tail is not None:
                    value = eval(
                        compile(ast.Expression(tail.value), chapter, "eval"), shell.user_ns
                    )
                    if isinstance(value, Explorer):
                        found.append(value)
    finally:
        os.chdir(cwd)
    return found


def drive(explorer):
    """The live view's frame times (ms): every control through its values, one at a time."""
    view = explorer.live()
    row, image, _caption = view.children
    stamps = []
    image.observe(lambda change: stamps.append(time.perf_counter()), names="value")
    times = []
    for (_name, control), widget in zip(explorer.controls.items(), row.children, strict=True):
        default = widget.value
        k = control.values.index(default)
        order = control.values[k + 1 :] + control.values[::-1][len(control.values) - k :]
        for value in [*order, default]:
            stamps.clear()
            start = time.perf_counter()
            widget.value = value
            if stamps:
                times.append(1000 * (stamps[-1] - start))
    return np.array(times)


def main(chapters):
    print(f"{'explorer':<28} {'median ms':>10} {'p90 ms':>8} {'frames':>7}  verdict")
    for chapter in chapters:
        for i, explorer in enumerate(explorers_of(chapter)):
            drive(explorer)  # warm-up: the experiments' results, fonts, the first figure
            times = np.concatenate([drive(explorer) for _ in range(ROUNDS)])
            median, p90 = np.median(times), np.percentile(times, 90)
            verdict = "PASS" if median <= TARGET_MS else "FAIL"
            name = chapter + (f"[{i}]" if i else "")
            print(f"{name:<28} {median:10.1f} {p90:8.1f} {len(times):7d}  {verdict}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or CHAPTERS)
