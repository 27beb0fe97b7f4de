"""What only the site build uses: the figure and math fences (``fences``), the build hooks (``notebooks``,
``parallel_figures``, ``unindexed``) and the mkdocstrings extension for doctest examples
(``doctest_blocks``). Nothing in the library imports them.
"""
