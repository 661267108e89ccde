"""The rep's web page: `/` sends the browser to `/app/`, which serves the built bundle.

The files come from `app/static` (built by `web/`'s `npm run build` and committed), read
once at start. Bundles carry a content hash in their names, so they are cached for a year;
`index.html` is revalidated on every load; text files are gzipped once at start for the
browsers that accept it. Every answer carries a Content-Security-Policy
that allows scripts, styles and API calls from this origin only: no inline script, no
external origin, no framing.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from core.errors import NotFound

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}
HASHED_NAME = re.compile(r"-[A-Z0-9]{8,}\.(js|css)$")
INDEX = "index.html"


COMPRESSIBLE = {".html", ".js", ".css", ".svg", ".txt"}


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    content_type: str
    etag: str
    cache_control: str
    gzipped: bytes | None  # the same bytes gzipped, when that is smaller


def _gzipped(path: Path, body: bytes) -> bytes | None:
    if path.suffix not in COMPRESSIBLE:
        return None
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    return packed if len(packed) < len(body) else None


def load_static(directory: Path) -> dict[str, StaticFile]:
    """Every servable file in `directory` by name (no subfolders, known types only)."""
    found: dict[str, StaticFile] = {}
    if not directory.is_dir():
        return found
    for path in sorted(directory.iterdir()):
        content_type = CONTENT_TYPES.get(path.suffix)
        if not path.is_file() or content_type is None:
            continue
        body = path.read_bytes()
        immutable = HASHED_NAME.search(path.name) is not None
        found[path.name] = StaticFile(
            body=body,
            content_type=content_type,
            etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
            cache_control="public, max-age=31536000, immutable" if immutable else "no-cache",
            gzipped=_gzipped(path, body),
        )
    return found


def security_headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def _accepts_gzip(request: Request) -> bool:
    """Whether Accept-Encoding lists gzip with a quality above zero."""
    for part in request.headers.get("accept-encoding", "").lower().split(","):
        coding, _, parameters = part.partition(";")
        if coding.strip() != "gzip":
            continue
        quality = parameters.replace(" ", "").removeprefix("q=")
        try:
            return not quality or float(quality) > 0
        except ValueError:
            return False
    return False


def build_router(directory: Path) -> APIRouter:
    """The page's routes, serving the files of `directory`."""
    static = load_static(directory)
    web = APIRouter(include_in_schema=False)

    def serve(name: str, request: Request) -> Response:
        file = static.get(name)
        if file is None:
            if INDEX not in static:
                raise NotFound("the web page is not built: run `npm run build` in web/")
            raise NotFound(f"no file {name!r} in the web page")
        packed = file.gzipped if _accepts_gzip(request) else None
        # Each representation has its own strong ETag.
        etag = file.etag[:-1] + '-gzip"' if packed else file.etag
        headers = {**security_headers(), "ETag": etag, "Cache-Control": file.cache_control}
        if file.gzipped:
            headers["Vary"] = "Accept-Encoding"
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        if packed:
            headers["Content-Encoding"] = "gzip"
        return Response(packed or file.body, media_type=file.content_type, headers=headers)

    @web.api_route("/", methods=["GET", "HEAD"])
    def home() -> RedirectResponse:
        return RedirectResponse("/app/", status_code=307)

    @web.api_route("/app", methods=["GET", "HEAD"])
    def app_without_slash() -> RedirectResponse:
        return RedirectResponse("/app/", status_code=307)

    @web.api_route("/app/", methods=["GET", "HEAD"])
    def page(request: Request) -> Response:
        return serve(INDEX, request)

    @web.api_route("/app/{name}", methods=["GET", "HEAD"])
    def asset(name: str, request: Request) -> Response:
        return serve(name, request)

    return web


router = build_router(Path(str(files("app") / "static")))
