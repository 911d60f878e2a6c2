"""What only the book needs: chapter examples, experts and presets, plotting, widgets, grading,
rendering, result records, the book's protocols and its stored demonstrations (``data/demos``). The
library proper (``irlbook.core``, ``irlbook.tabular``, ``irlbook.deep``, ``irlbook.envs``) never imports
from here; only this package and :mod:`irlbook.experiments` do.
"""
