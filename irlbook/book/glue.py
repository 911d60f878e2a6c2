"""``glue``: hand a number a notebook computes to the chapter that quotes it.

Inside the book's build this is myst-nb's ``glue`` (the chapter writes ``{glue:text}`name:.3f```); in Jupyter
or Colab without myst-nb it does nothing, so the notebooks run anywhere.
"""

from __future__ import annotations


def glue(name: str, value, display: bool = True) -> None:
    """Store ``value`` under ``name`` for the book's ``{glue}`` roles (a no-op where myst-nb is absent)."""
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return
    myst_glue(name, value, display=display)
