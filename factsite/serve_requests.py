"""Under `mkdocs serve`, what the server answers while the data has errors (a page listing them) and
during an edit build (the pages it has built already); factsite/serve_incremental.py says why.
Relies on private parts of MkDocs 1.6's LiveReloadServer, listed there."""

from __future__ import annotations

import html
import os
import posixpath

from factsite.serve_session import Session


def error_page(problems: list[str]) -> bytes:
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in problems)
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>factsite: the data has "
            f"errors</title></head>\n<body>\n<h1>The data has errors</h1>\n<p>The preview comes back as soon as "
            f"they are fixed; nothing was written.</p>\n<ul>\n{items}\n</ul>\n</body></html>\n").encode("utf-8")


def show_errors(server, current: Session) -> bool:
    """While the data has errors, answer every page request with the list of them (live reload included);
    during an edit build, send the pages it has built already (_show_early)."""
    needed = ("_serve_request", "_inject_js_into_html", "_epoch_cond", "_visible_epoch", "_wanted_epoch", "root")
    if not all(hasattr(server, name) for name in needed):
        return False
    serve_file = server._serve_request

    def serve_request(environ, start_response):
        path = environ.get("PATH_INFO", "")
        errors = current.errors
        if errors and not path.startswith("/livereload/") and (path.endswith(("/", ".html"))):
            with server._epoch_cond:
                epoch = server._visible_epoch
            content = server._inject_js_into_html(error_page(errors), epoch)
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                      ("Content-Length", str(len(content)))])
            return [content]
        early = _early_page(server, path, current)
        if early is not None:
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(early)))])
            return [early]
        return serve_file(environ, start_response)

    server._serve_request = serve_request
    current.server = server
    return True


def _early_page(server, path: str, current: Session) -> bytes | None:
    """The page at `path` if the edit build being run has built it already (_show_early); else None,
    once no build is running or when the page is not one of those."""
    mount = getattr(server, "mount_path", "/")
    path = path.encode("latin-1").decode("utf-8", "ignore")
    if not (path + "/").startswith(mount) or not path.endswith((".html", "/")):
        return None
    relative = path[len(mount):] + ("index.html" if path.endswith("/") else "")
    file_path = os.path.abspath(os.path.join(server.root, posixpath.normpath("/" + relative).lstrip("/")))
    with server._epoch_cond:
        server._epoch_cond.wait_for(lambda: server._visible_epoch == server._wanted_epoch
                                    or file_path in current.early)
        if server._visible_epoch == server._wanted_epoch:
            return None
        epoch = server._wanted_epoch  # the build's end: no second reload for this page
    with open(file_path, "rb") as file:
        return server._inject_js_into_html(file.read(), epoch)
