"""How long the book takes to build, and each notebook to execute.

Prints the cold build time (empty execution cache), the no-change rebuild time and each
notebook's execution time. The build goes to a temporary folder, so `_build` is untouched.
Targets on a 2-core machine: rebuild <= 5 s, each notebook <= 20 s.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def execution_time(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, resources={"metadata": {"path": path.parent}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main():
    with tempfile.TemporaryDirectory() as out:
        build = [str(JUPYTER_BOOK), "build", ".", "--path-output", out, "--warningiserror"]
        cold = timed(build)
        warm = timed(build)
    print(f"{'what':<40} {'seconds':>8} {'target':>8}")
    print(f"{'cold build (empty cache)':<40} {cold:8.1f}")
    print(f"{'rebuild, nothing changed':<40} {warm:8.1f} {'<= 5':>8}")
    for path in sorted((ROOT / "book").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        name = f"execute {path.relative_to(ROOT)}"
        print(f"{name:<40} {execution_time(path):8.1f} {'<= 20':>8}")


if __name__ == "__main__":
    main()
