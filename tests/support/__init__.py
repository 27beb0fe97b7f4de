"""What the tests and the bench scripts share about the built site, imported as ``tests.support.<module>``:

- :mod:`tests.support.site`: building the site as ``make site`` does, mkdocs.yml's navigation, the pages a built
  site holds;
- :mod:`tests.support.serving`: serving a built site on 127.0.0.1 from a thread;
- :mod:`tests.support.browser`: Chromium's path and flags, a tab that records console errors, page errors, dialogs
  and requests, and axe-core (every default rule, or the colour rules alone).

The bench scripts run as modules from the repository's root (``python -m bench.screenshots``), and pytest puts the
root on the path for the root ``conftest.py``, so both import this package by the same name.
"""
