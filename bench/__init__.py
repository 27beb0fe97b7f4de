"""Scripts that print figures of speed and size (the last ones are in bench/RESULTS.md), and the screenshots.

Each runs as a module from the repository's root, for example ``.venv/bin/python -m bench.test_time``, so that it
imports ``bench.common`` and the test-support package ``tests.support`` by their names.

- ``common``: what the scripts share (where things are, building the site, the bare baseline, medians);
- ``test_time``: ``make test``'s wall time, or its CPU-seconds beside an earlier commit's;
- ``build_speed``: a cold build and a warm rebuild of the site, against the bare baseline;
- ``serve_rebuild``: how many rebuilds one edit triggers under ``mkdocs serve``, and how long each takes;
- ``figure_time``: the time to draw one figure;
- ``bench_fast``: the ways of computing ``conv1d``, timed;
- ``page_weight``: every page's HTML, and the whole site;
- ``browser_cost``: the CPU-seconds of loading each page and running axe-core on it;
- ``lighthouse``: Lighthouse's mobile scores for one page of every kind (``package.json`` pins it);
- ``screenshots``: a PNG of every page at 375 px and 1280 px, in both palettes.
"""
