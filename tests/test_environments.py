"""The book runs outside this repository's .venv: in a fresh virtual environment each.

1. A chapter downloaded from the website (``notebooks/<chapter>.ipynb``, executed, with
   an install cell first: book/_ext/downloads.py) runs top to bottom where only Jupyter's
   kernel and notebook runner are installed, and the site is served locally: its first
   cell installs ``paramopt`` from the wheel the site serves, and pip brings numpy,
   matplotlib and ipywidgets from the package index.
2. Binder (repo2docker) builds its image from ``runtime.txt`` and ``requirements.txt``
   (which ends with ``-e .``) and nothing else here (no ``postBuild``, no
   ``environment.yml``): those files alone give an environment that imports every module
   of ``paramopt`` and runs a chapter.

Each builds a virtual environment with pip (~1 min); ``make environments`` runs them.
"""

import json
import os
import pkgutil
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

import paramopt
from site_checks import serve

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
CHAPTER = "framework"  # the shortest chapter to run
CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("*.ipynb"))

pytestmark = pytest.mark.environments


def venv(path, *packages, cwd=None):
    """A fresh virtual environment at ``path`` with ``packages`` (pip arguments)."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    pip = [str(path / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True, cwd=cwd)
    subprocess.run([*pip, *packages], check=True, cwd=cwd)
    return path / "bin"


def clean_env(**extra):
    """This process's environment without anything that points into the repository."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return env | {"MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1"} | extra


def execute(bin_dir, notebook, **env):
    result = subprocess.run(
        [str(bin_dir / "jupyter-execute"), "--timeout=600", notebook.name],
        cwd=notebook.parent,
        env=clean_env(**env),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_site_offers_every_chapter_executed_with_an_install_cell():
    if not (SITE / "notebooks").exists():
        pytest.fail("no built site with notebooks: run `make book` first")
    assert (SITE / "notebooks" / f"paramopt-{paramopt.__version__}-py3-none-any.whl").exists()
    for chapter in CHAPTERS:
        notebook = json.loads((SITE / "notebooks" / f"{chapter}.ipynb").read_text())
        first = notebook["cells"][0]
        assert "install-paramopt" in first["metadata"]["tags"]
        assert '%pip install --quiet "paramopt[notebooks] @ {site}/notebooks/paramopt-' in "".join(
            first["source"]
        )
        outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
        assert any("image/png" in o.get("data", {}) for o in outputs), chapter
        page = (SITE / "book" / f"{chapter}.html").read_text()
        assert f'href="../notebooks/{chapter}.ipynb"' in page, chapter


def test_a_downloaded_chapter_runs_where_only_jupyter_is_installed(tmp_path):
    bin_dir = venv(tmp_path / "venv", "nbclient", "ipykernel")
    work = tmp_path / "downloads"  # outside the repository: nothing of it is importable
    work.mkdir()
    with serve(SITE) as origin:
        notebook = work / f"{CHAPTER}.ipynb"
        with urllib.request.urlopen(f"{origin}/notebooks/{CHAPTER}.ipynb") as response:
            notebook.write_bytes(response.read())
        execute(bin_dir, notebook, PARAMOPT_SITE=origin)
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import paramopt; print(paramopt.__file__)"],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=work,
        check=True,
    )
    assert str(tmp_path / "venv") in where.stdout  # installed from the site's wheel


def test_binder_files_alone_import_every_module_and_run_a_chapter(tmp_path):
    assert not any((ROOT / name).exists() for name in ("postBuild", "environment.yml"))
    runtime = (ROOT / "runtime.txt").read_text().strip()
    assert runtime == f"python-{sys.version_info.major}.{sys.version_info.minor}"
    bin_dir = venv(tmp_path / "venv", "-r", "requirements.txt", cwd=ROOT)
    modules = [m.name for m in pkgutil.walk_packages(paramopt.__path__, "paramopt.")]
    assert len(modules) > 40
    imports = "; ".join(f"import {name}" for name in modules)
    subprocess.run([str(bin_dir / "python"), "-c", imports], check=True, env=clean_env())
    work = tmp_path / "chapter"
    work.mkdir()
    shutil.copy(ROOT / "book" / f"{CHAPTER}.ipynb", work)
    execute(bin_dir, work / f"{CHAPTER}.ipynb")
