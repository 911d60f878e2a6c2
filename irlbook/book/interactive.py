"""Figures a reader can move, live in a kernel and in the static book.

``explorable(draw, grid)`` turns a drawing function into a figure with controls:

* in a live kernel (Jupyter, Colab) it returns ipywidgets controls that redraw the figure;
* when the book is built (the environment variable ``IRLBOOK_STATIC_FIGURES=1``, which ``make book``
  sets) it draws every combination of the grid's values once, as small PNG frames, and returns a
  self-contained HTML figure: the frames inline (base64) and a few lines of inline JavaScript that
  show the frame the controls select. No kernel, no network.

``draw(**params)`` draws one matplotlib figure for one value of every control and does not show it
(no ``plt.show()``) or lay it out (no ``tight_layout``); it may return the figure (otherwise the
current figure is used). ``grid`` maps each keyword of ``draw`` to the values its control offers:
numbers give a slider, strings a drop-down. Expensive computations belong outside ``draw`` (compute
every state once, then let ``draw`` look its state up), so that the static frames stay cheap. The
layout is fitted once, on the first frame, and reused for every other frame: every frame has the
same geometry, and a frame costs one draw of the figure.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence

STATIC_ENV = "IRLBOOK_STATIC_FIGURES"
MAX_FRAMES = 64   # the product of the grid's sizes: every frame is drawn and stored in the page


def static_build() -> bool:
    """True when figures should be precomputed: ``IRLBOOK_STATIC_FIGURES`` is set and not ``0``."""
    return os.environ.get(STATIC_ENV, "0") not in ("", "0")


def _plain(value):
    """numpy scalars -> Python scalars (for widget options, labels and ``draw``'s keywords)."""
    return value.item() if hasattr(value, "item") else value


def _label(value) -> str:
    return value if isinstance(value, str) else f"{value:g}"


def check_grid(grid: Mapping[str, Sequence], start: Mapping | None = None) -> tuple[dict, dict]:
    """Validated ``(grid, start)``: lists of plain values per control and one start value each.

    Raises ValueError naming ``grid`` (empty, a control with no values, values that mix strings and
    numbers or repeat, more than ``MAX_FRAMES`` combinations) or ``start`` (a value not in its grid).
    """
    if not isinstance(grid, Mapping) or not grid:
        raise ValueError("grid must be a non-empty mapping {keyword: values}")
    checked = {}
    for name, values in grid.items():
        if isinstance(values, str) or not isinstance(values, Sequence | range) and not hasattr(values, "tolist"):
            raise ValueError(f"grid[{name!r}] must be a sequence of values, got {type(values).__name__}")
        values = [_plain(v) for v in values]
        if not values:
            raise ValueError(f"grid[{name!r}] has no values")
        kinds = {isinstance(v, str) for v in values}
        if len(kinds) > 1 or (False in kinds and not all(isinstance(v, int | float) for v in values)):
            raise ValueError(f"grid[{name!r}] must hold only strings or only numbers, got {values}")
        if len({_label(v) for v in values}) != len(values):
            raise ValueError(f"grid[{name!r}] repeats a value: {values}")
        checked[str(name)] = values
    n_frames = math.prod(len(v) for v in checked.values())
    if n_frames > MAX_FRAMES:
        raise ValueError(f"grid has {n_frames} combinations of values, more than MAX_FRAMES = {MAX_FRAMES}: "
                         "offer fewer values per control")
    start = dict(start or {})
    unknown = set(start) - set(checked)
    if unknown:
        raise ValueError(f"start names no control of the grid: {sorted(unknown)}")
    chosen = {}
    for name, values in checked.items():
        value = _plain(start.get(name, values[len(values) // 2] if not isinstance(values[0], str) else values[0]))
        if value not in values:
            raise ValueError(f"start[{name!r}] = {value!r} is not one of grid[{name!r}] = {values}")
        chosen[name] = value
    return checked, chosen


def draw_figure(draw: Callable, params: Mapping, layout: dict | None = None):
    """``draw(**params)``'s figure, laid out: with ``layout`` (``subplots_adjust`` keywords) when given,
    else by ``tight_layout``; figures that chose their own layout engine are left alone.

    Returns ``(figure, layout)``: the subplot parameters the figure ended up with, to reuse.
    """
    import matplotlib.pyplot as plt

    figure = draw(**params)
    if figure is None:
        figure = plt.gcf()
    if figure.get_layout_engine() is None:
        if layout is None:
            figure.tight_layout()
        else:
            figure.subplots_adjust(**layout)
    p = figure.subplotpars
    return figure, dict(left=p.left, right=p.right, bottom=p.bottom, top=p.top, wspace=p.wspace, hspace=p.hspace)


def render_frames(draw: Callable, grid: dict, dpi: int) -> list[bytes]:
    """PNG bytes of every combination of the grid's values, in row-major order (figures closed, never
    shown). The first frame's layout is fitted and reused for the others."""
    import matplotlib.pyplot as plt

    frames, layout = [], None
    for values in itertools.product(*grid.values()):
        figure, layout = draw_figure(draw, dict(zip(grid, values, strict=True)), layout)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        plt.close(figure)
        frames.append(buffer.getvalue())
    return frames


# The whole client side: the frame of the selected values, in the grid's row-major order.
_SCRIPT = """(function (root) {
  var data = JSON.parse(root.querySelector("script[type='application/json']").textContent);
  var image = root.querySelector("img"), controls = root.querySelectorAll(".irlbook-control");
  function show() {
    var index = 0, shown = [];
    controls.forEach(function (control, axis) {
      var position = Number(control.value);
      index = index * data.labels[axis].length + position;
      shown.push(data.names[axis] + " = " + data.labels[axis][position]);
      var output = control.parentNode.querySelector("output");
      if (output) { output.textContent = data.labels[axis][position]; }
    });
    image.src = "data:image/png;base64," + data.frames[index];
    image.alt = data.alt + " (" + shown.join(", ") + ")";
  }
  controls.forEach(function (control) {
    control.addEventListener("input", show);
    control.addEventListener("change", show);
  });
})(document.currentScript.parentNode);"""


class StaticExplorable:
    """Precomputed frames of an explorable figure; displays as self-contained HTML.

    grid : {name: [values]};  start : {name: value};  frames : PNG bytes, one per combination of the
    grid's values in row-major order (the last control varies fastest);  labels : {name: text}.
    """

    def __init__(self, grid: dict, start: dict, frames: list[bytes], labels: Mapping | None = None,
                 alt: str = "figure"):
        self.grid, self.start, self.frames = grid, start, frames
        self.labels = {name: (labels or {}).get(name, name) for name in grid}
        self.alt = alt

    def index(self, **params) -> int:
        """Position in ``frames`` of the given values (the start values for names not given)."""
        values = {**self.start, **params}
        index = 0
        for name, options in self.grid.items():
            index = index * len(options) + options.index(_plain(values[name]))
        return index

    def _control(self, axis: int, name: str) -> str:
        options, position = self.grid[name], self.grid[name].index(self.start[name])
        label = html.escape(self.labels[name])
        if isinstance(options[0], str):
            items = "".join(f'<option value="{i}"{" selected" if i == position else ""}>{html.escape(v)}</option>'
                            for i, v in enumerate(options))
            widget = f'<select class="irlbook-control" data-axis="{axis}">{items}</select>'
        else:
            widget = (f'<input type="range" class="irlbook-control" data-axis="{axis}" min="0" '
                      f'max="{len(options) - 1}" step="1" value="{position}" style="width:11rem;max-width:55vw">'
                      f'<output>{html.escape(_label(self.start[name]))}</output>')
        return f'<label style="display:inline-flex;align-items:center;gap:0.5rem">{label} {widget}</label>'

    def _repr_html_(self) -> str:
        names = list(self.grid)
        data = {"names": [self.labels[n] for n in names], "labels": [[_label(v) for v in self.grid[n]] for n in names],
                "alt": self.alt, "frames": [base64.b64encode(frame).decode("ascii") for frame in self.frames]}
        payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
        first = data["frames"][self.index()]
        controls = "".join(self._control(axis, name) for axis, name in enumerate(names))
        alt = html.escape(f"{self.alt} (" + ", ".join(f"{self.labels[n]} = {_label(self.start[n])}" for n in names)
                          + ")")
        return (
            '<div class="irlbook-explorable" style="max-width:100%">'
            '<div class="irlbook-explorable-controls" style="display:flex;flex-wrap:wrap;gap:0.25rem 1.5rem;'
            f'margin-bottom:0.5rem">{controls}</div>'
            f'<img src="data:image/png;base64,{first}" alt="{alt}" style="max-width:100%;height:auto">'
            f'<script type="application/json">{payload}</script>'
            f"<script>{_SCRIPT}</script></div>"
        )


def _live(draw: Callable, grid: dict, start: dict, labels: Mapping):
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    controls = {}
    for name, values in grid.items():
        description = labels.get(name, name)
        if isinstance(values[0], str):
            controls[name] = widgets.Dropdown(options=values, value=start[name], description=description)
        else:
            controls[name] = widgets.SelectionSlider(options=[(_label(v), v) for v in values], value=start[name],
                                                     description=description, continuous_update=False)
    output = widgets.Output()

    def redraw(*_):
        with output:
            output.clear_output(wait=True)
            draw_figure(draw, {name: control.value for name, control in controls.items()})
            plt.show()

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap")),
                        output])
    box.grid = grid   # as on StaticExplorable: the values every control offers
    return box


def explorable(draw: Callable, grid: Mapping[str, Sequence], *, start: Mapping | None = None,
               labels: Mapping[str, str] | None = None, alt: str = "figure", dpi: int = 60,
               static: bool | None = None):
    """A figure with one control per keyword of ``draw``: live widgets, or precomputed frames.

    draw : ``draw(**params)`` draws one figure (returns it or leaves it current; never shows it).
    grid : {keyword: values}; numbers give a slider, strings a drop-down. At most ``MAX_FRAMES``
        combinations in all (each is drawn once for the static page).
    start : the values shown first (default: the middle number, the first string).
    labels : text shown beside each control (default: the keyword).  alt : the figure's alt text.
    dpi : resolution of the static frames.  static : True for the precomputed HTML figure, False for
        ipywidgets; None decides by :func:`static_build` (the book's build sets it).

    Returns a :class:`StaticExplorable` (displays as HTML) or an ipywidgets ``VBox``; either has
    ``.grid`` ({keyword: [values]}) and is meant to be the last expression of a notebook cell.
    """
    if not callable(draw):
        raise ValueError(f"draw must be callable, got {type(draw).__name__}")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or dpi < 10:
        raise ValueError(f"dpi must be an integer >= 10, got {dpi!r}")
    grid, start = check_grid(grid, start)
    labels = dict(labels or {})
    unknown = set(labels) - set(grid)
    if unknown:
        raise ValueError(f"labels names no control of the grid: {sorted(unknown)}")
    if not (static_build() if static is None else static):
        return _live(draw, grid, start, labels)
    return StaticExplorable(grid, start, render_frames(draw, grid, dpi), labels, alt)
