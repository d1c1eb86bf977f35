"""Execute the book's notebooks into the build's execution cache, one per core.

Jupyter Book executes the notebooks it finds out of date one after another, which keeps
one core busy on a machine with two. This fills the same cache (jupyter-cache, where
``execute_notebooks: cache`` looks) with jupyter-cache's own parallel executor first, so
the build that follows finds every notebook executed and only renders. A notebook whose
code has not changed since its cached run is not run again; one that fails is reported
with its traceback, and the exit status is 1 (the build would fail on it too).

    python book/_ext/execute.py _build/.jupyter_cache book/*.ipynb
"""

import logging
import sys

from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor

#: seconds a cell may run (as ``execute.timeout`` in _config.yml)
TIMEOUT = 120


def execute(cache_path, notebooks):
    cache = get_cache(cache_path)
    uris = [cache.add_nb_to_project(path).uri for path in notebooks]
    logger = logging.getLogger("execute")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    executor = load_executor("local-parallel", cache=cache, logger=logger)
    result = executor.run_and_cache(filter_uris=uris, timeout=TIMEOUT)
    failed = result.excepted + result.errored
    for uri in failed:
        record = cache.get_project_record(uri)
        print(f"{uri} failed:\n{record.traceback}", file=sys.stderr)
    return not failed


if __name__ == "__main__":
    cache_path, *notebooks = sys.argv[1:]
    sys.exit(0 if execute(cache_path, notebooks) else 1)
