"""paramopt: the numpy library behind *Parameter Optimization for Neural Networks*.

Submodules are imported on first use, so ``import paramopt as po`` stays cheap and
``po.classifier``, ``po.optim``, ``po.nn`` ... work without further imports.
"""

import importlib

from paramopt.validation import Diverged

__all__ = ["Diverged"]
__version__ = "0.2.0"  # the book and the library share it (CHANGELOG.md, CITATION.cff)


def __getattr__(name):
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module 'paramopt' has no attribute {name!r}") from None
    globals()[name] = module
    return module
