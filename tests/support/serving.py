"""Serving a built site on 127.0.0.1 from a thread, as the browser tests and the bench scripts do."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site's files, as the browser tests and the bench scripts serve it, and logs nothing."""

    def log_message(self, format: str, *args: object) -> None:  # keep the output of tests and scripts clean
        pass

    def handle(self) -> None:
        """A browser that closes a tab while a file is on its way is no error of the site: nothing is said."""
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def finish(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().finish()


@contextlib.contextmanager
def serve(site: Path | str, port: int = 0, handler: type = QuietHandler) -> Iterator[str]:
    """Serve the folder ``site`` on 127.0.0.1 (a free port unless ``port`` is given) from a thread, for as long as
    the ``with`` block runs; yields the base address, ``http://127.0.0.1:<port>/``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
