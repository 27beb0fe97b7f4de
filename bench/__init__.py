"""Scripts that print figures of speed and size (the last ones are in bench/RESULTS.md), and the screenshots.

Each runs as a module from the repository's root, for example ``.venv/bin/python -m bench.test_time``, so that it
imports ``bench.common`` and the test-support package ``tests.support`` by their names.
"""
