"""One notebook cell, two worlds: a live widget in Jupyter, a static one on the website.

An :class:`Explorer` joins three small things:

* ``compute(**values)``: a pure function of the control values, which adapts an
  experiment of a concept module (tested there);
* ``draw(fig, result, **values)``: draws ``result`` on an empty matplotlib figure, and
  may return an updater (below);
* ``describe(result, **values)``: one sentence saying what the figure shows
  (alt text on the website, caption in both views).

Each receives, by keyword, only the controls its signature names.

**The updater.** Redrawing a whole figure costs matplotlib ~100 ms, too slow for a
slider. So ``draw`` may return ``update(result, **values)`` (the controls it names, as
above), which puts another result on the artists ``draw`` created (``set_data``,
``set_text``, colours, visibility) and returns the list of every artist it may change;
it creates no artists and changes no axis limits or scales. The Explorer calls it once
after ``draw`` to learn that list, marks those artists (and whatever its Axes draws above
them) animated, draws the rest once and caches it; each change then restores the cache
and redraws only the animated artists, and only in the rectangles where one changed.
``update`` returns None when it cannot show a result on these axes (another depth, a
legend with other entries): the figure is then drawn afresh. A ``draw`` that returns
no callable is simply redrawn each time. The static view draws each frame in full from
the same updated figure, so both views show the same picture. Axis ranges that
frames should compare on (a loss axis) are shared by all frames of an explorer, which
also keeps them in the cached background.

This package holds views only: the framework (``explorer``, ``controls``, ``playground``,
``figures``) and one module per chapter, named after it, with that chapter's explorers
and figures.

Displayed in a notebook, an Explorer's MIME bundle carries both views:

* ``application/vnd.jupyter.widget-view+json``, ipywidgets controls driving a live
  image (Jupyter, Binder);
* ``text/html``, the same figure precomputed for every combination of control values,
  with HTML controls and a few lines of inline JavaScript that swap frames: it needs no
  kernel, so it responds on the static website. The book's ``_config.yml`` tells
  myst-nb to prefer ``text/html`` for the HTML build.

A setting that blows up: ``compute`` may *return* the :class:`paramopt.Diverged` error,
carrying what was computed before (``surfaces.run`` attaches ``error.trajectory``), for
``draw`` and ``describe`` to show up to the step it diverged at, as the playground does;
the frame's ``diverged_at`` is then set. If ``compute`` *raises* it, the frame is a box
and the caption "With <every control's setting>, the run diverged at step k: <reason>."
instead of a traceback or a blank plot.

A slider's labels may follow another control (``Slider.from_values(...,
labels_by=("optimizer", {...}))``): the digits explorer's slider runs over positions in
each optimiser's grid but shows and announces that optimiser's learning rate, in both
views.
"""

from paramopt.widgets.controls import Choice, Slider
from paramopt.widgets.explorer import Explorer

__all__ = ["Choice", "Explorer", "Slider"]
