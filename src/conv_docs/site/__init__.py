"""What only the site build uses: the fences (``fences``, the formatters of the figure and math fences, which use
``figure_fences``, ``fence_options``, ``figure_cache`` and ``mathml``; ``exercises``, the exercise fence;
``fence_errors``, a bad fence shown in its place), the build hooks (``build_errors``, ``notebooks``,
``parallel_figures``, ``unindexed``, ...) and the mkdocstrings extension for doctest examples
(``doctest_blocks``). Nothing in the library imports them.
"""
