"""What only the book needs: chapter examples, experts and presets, plotting, widgets, grading,
rendering and result records. The library proper (``irlbook.core``, ``irlbook.tabular``,
``irlbook.deep``, ``irlbook.envs``) never imports from here.
"""
