"""One notebook cell, two worlds: a live widget in Jupyter, a static one on the website.

An :class:`Explorer` joins three small things:

* ``compute(**values)``: a pure function of the control values, which adapts an
  experiment of a concept module (tested there);
* ``draw(fig, result, **values)``: draws ``result`` on an empty matplotlib figure;
* ``describe(result, **values)``: one sentence saying what the figure shows
  (alt text on the website, caption in both views).

Each receives, by keyword, only the controls its signature names. This package holds
views only: the framework (``explorer``, ``controls``, ``playground``, ``figures``) and one module
per chapter, named after it, with that chapter's explorers and figures.

Displayed in a notebook, an Explorer's MIME bundle carries both views:

* ``application/vnd.jupyter.widget-view+json``, ipywidgets controls driving a live
  image (Jupyter, Binder);
* ``text/html``, the same figure precomputed for every combination of control values,
  with HTML controls and a few lines of inline JavaScript that swap frames: it needs no
  kernel, so it responds on the static website. The book's ``_config.yml`` tells
  myst-nb to prefer ``text/html`` for the HTML build.

If ``compute`` raises :class:`paramopt.Diverged`, the frame says
"diverged at step k" instead of showing a traceback or a blank plot.
"""

from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = ["Choice", "Explorer", "Slider"]
