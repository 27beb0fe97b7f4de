"""What only the site build uses; nothing in the library imports it.

The fences:

- ``fences``: the formatters ``mkdocs.yml`` names, for the figure and math fences;
- ``fence_options``: which fences there are, the options each accepts, reading a fence body;
- ``figure_fences``: finding the figure fences in a page and drawing them;
- ``figure_cache``: each figure drawn once and kept, keyed by its fence and the library's source;
- ``mathml``: formulas as MathML, so that no script is needed to show them;
- ``exercises``: the exercise fence, a question whose answer the library computes;
- ``fence_errors``: a fence that cannot be rendered, shown in its place and reported.

The MkDocs hooks (listed in ``mkdocs.yml``):

- ``build_errors``: one line per bad fence, naming the page and the line;
- ``parallel_figures``: the second core draws the missing figures and converts the notebooks;
- ``notebooks``: trims what mkdocs-jupyter adds to every notebook page;
- ``code_spans``: drops the highlighter's spans that change nothing on the page;
- ``tables``: tables that become stacked rows on a narrow screen;
- ``unindexed``: search indexes the words, not the figures and code blocks;
- ``stylesheets``: one stylesheet of the site's own per page;
- ``publishing``: each page describes itself, and an offline copy works.

And the rest:

- ``examples``: the ``#>`` output of the docs' Python examples, run, checked and rewritten (``make examples``);
- ``doctest_blocks``: the Griffe extension that shows docstring examples on the API pages;
- ``vendor/``: the iframe-worker shim that lets an offline copy search (``publishing`` copies it).
"""
