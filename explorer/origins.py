"""Who may embed the explorer: the ``embed_origins`` setting read as a policy, and the
response headers that enforce it.

* ``/embed/…`` pages may be framed by this app and the allowed origins (CSP
  ``frame-ancestors``), under a strict Content-Security-Policy of their own.
* Every other response refuses to be framed (``X-Frame-Options: DENY`` and
  ``frame-ancestors 'none'``) and runs only this app's own script files (``PAGE_CSP``).
* Every response says ``X-Content-Type-Options: nosniff``.
* The JSON API, the static scripts and the browser libraries answer cross-origin requests
  from the allowed origins (CORS: the origin echoed in ``Access-Control-Allow-Origin``,
  ``Vary: Origin``, preflight ``OPTIONS`` answered 204 or refused 403).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, jsonify, request
from werkzeug.wrappers import Response

DEFAULT_PORTS = {"http": 80, "https": 443}
EMBED_PREFIX = "/embed/"
CORS_PREFIXES = ("/api/", "/static/", "/assets/")
CORS_METHODS = "GET, HEAD, POST, OPTIONS"
CORS_MAX_AGE = "600"
EXPOSED_HEADERS = ("Content-Disposition, Link, Retry-After, X-Request-ID, X-Result-Timed-Out, "
                   "X-Result-Truncated, X-Row-Count, X-Total-Count")
"""The answer headers other sites' scripts may read: downloads, paging, cut results."""

EMBED_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; "
             "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
             "base-uri 'none'; form-action 'self'")
"""What an embedded page may load: only this app's own scripts, styles and API."""

PAGE_CSP = ("script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")
"""Every other response: only this app's own scripts (no inline script, so a name that got
past escaping still could not run), and no framing."""


def _origin(text: str, *, wildcard: bool) -> str:
    """``scheme://host[:port]`` normalised (lower case, IDNA, no default port); ValueError
    naming the problem otherwise."""
    parts = urlsplit(text)
    if parts.scheme not in DEFAULT_PORTS or not parts.netloc:
        raise ValueError(f"{text!r} is not an origin: use http:// or https:// and a host, "
                         "such as https://lab.example.org")
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        raise ValueError(f"{text!r} is not an origin: give only scheme, host and port "
                         "(no path, query or user)")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{text!r} has a bad port") from None
    host = parts.hostname or ""
    star = wildcard and host.startswith("*.")
    if star:
        host = host[2:]
    if not host or "*" in host:
        raise ValueError(f"{text!r}: a wildcard may only start the host, as in "
                         "https://*.example.org")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"{text!r} has a host name that cannot be used") from None
    if ":" in host:  # IPv6
        host = f"[{host}]"
    port_part = "" if port in (None, DEFAULT_PORTS[parts.scheme]) else f":{port}"
    return f"{parts.scheme}://{'*.' if star else ''}{host}{port_part}"


def parse_origins(value: str) -> tuple[str, ...]:
    """The setting's text as normalised origins (``*`` alone for any site)."""
    items = [item for item in value.replace(",", " ").split() if item]
    if "*" in items:
        if len(items) > 1:
            raise ValueError("`*` allows every site; give it alone")
        return ("*",)
    return tuple(dict.fromkeys(_origin(item, wildcard=True) for item in items))


@dataclass(frozen=True)
class OriginPolicy:
    """The allowed origins, as ``parse_origins`` returns them."""

    origins: tuple[str, ...] = ()

    @property
    def anyone(self) -> bool:
        return self.origins == ("*",)

    def allows(self, origin: str | None) -> bool:
        """Whether a request's ``Origin`` header names an allowed site."""
        if not origin or not self.origins:
            return False
        if self.anyone:
            return True
        try:
            asked = _origin(origin, wildcard=False)
        except ValueError:
            return False  # "null" (a file or a sandboxed frame) or garbage
        scheme, _, rest = asked.partition("://")
        for allowed in self.origins:
            if allowed == asked:
                return True
            allowed_scheme, _, pattern = allowed.partition("://")
            if pattern.startswith("*.") and allowed_scheme == scheme and \
                    rest.endswith(pattern[1:]) and len(rest) > len(pattern) - 1:
                return True
        return False

    def frame_ancestors(self) -> str:
        """The CSP ``frame-ancestors`` sources of embed pages."""
        return "*" if self.anyone else " ".join(("'self'", *self.origins))


def _cors_path(path: str) -> bool:
    return path.startswith(CORS_PREFIXES)


def install_origin_policy(app: Flask) -> None:
    """Frame and CORS headers on every response, from the app's ``embed_origins``."""
    policy = OriginPolicy(app.config["EXPLORER"].embed_origins)
    app.extensions["coauthor_origins"] = policy

    @app.before_request
    def preflight() -> Response | tuple[Response, int] | None:
        if request.method != "OPTIONS" or "Access-Control-Request-Method" not in \
                request.headers or not _cors_path(request.path) or request.url_rule is None:
            return None
        origin = request.headers.get("Origin")
        if not policy.allows(origin):
            return jsonify({"error": {"status": 403, "message": (
                f"the origin {origin!r} may not use this app from its pages; the operator "
                "lists the sites that may in COAUTHOR_EXPLORER_EMBED_ORIGINS")}}), 403
        response = app.response_class(status=204)
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = CORS_MAX_AGE
        return response

    @app.after_request
    def origin_headers(response: Response) -> Response:
        path = request.path
        if path.startswith(EMBED_PREFIX):
            response.headers["Content-Security-Policy"] = \
                f"{EMBED_CSP}; frame-ancestors {policy.frame_ancestors()}"
            response.headers.pop("X-Frame-Options", None)
        else:
            response.headers.setdefault("X-Frame-Options", "DENY")
            csp = response.headers.get("Content-Security-Policy")
            if not csp:
                response.headers["Content-Security-Policy"] = PAGE_CSP
            elif "frame-ancestors" not in csp:
                response.headers["Content-Security-Policy"] = \
                    f"{csp}; frame-ancestors 'none'"
        response.headers["X-Content-Type-Options"] = "nosniff"
        if _cors_path(path):
            response.vary.add("Origin")
            origin = request.headers.get("Origin")
            if policy.allows(origin):
                response.headers["Access-Control-Allow-Origin"] = \
                    "*" if policy.anyone else str(origin)
                response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response
