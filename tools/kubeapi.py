"""A minimal client of the loopback Kubernetes API server, over the admin client certificate.

Standard library only: `scripts/dev cluster` uses it to install CRDs, nodes and volumes, and the
engine tests use it to read back what `pulumi up` made. Not a general client: JSON in, JSON out,
server-side apply for writes.
"""

from __future__ import annotations

import json
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIELD_MANAGER = "mlplatform-loopback"


class ApiError(RuntimeError):
    """A request the API server refused; `status` is the HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


@dataclass(frozen=True)
class Api:
    """The API server at `server`, reached with the cluster CA and an admin client certificate."""

    server: str
    ca: Path
    cert: Path
    key: Path

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.ca))
        context.load_cert_chain(str(self.cert), str(self.key))
        return context

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        content_type: str = "application/json",
        timeout: float = 30,
    ) -> Any:
        """The decoded JSON answer of one request; ApiError on an HTTP error status."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.server + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, context=self._context(), timeout=timeout) as r:
                raw = r.read()
        except urllib.error.HTTPError as error:
            raise ApiError(error.code, error.read().decode(errors="replace")) from None
        return json.loads(raw) if raw else None

    def get(self, path: str) -> Any:
        """GET `path`."""
        return self.request("GET", path)

    def exists(self, path: str) -> bool:
        """Whether `path` names an object (404 is False; other errors raise)."""
        try:
            self.get(path)
        except ApiError as error:
            if error.status == 404:
                return False
            raise
        return True

    def apply(self, path: str, obj: dict[str, Any]) -> Any:
        """Server-side apply of `obj` at its object `path` (the collection path plus its name)."""
        query = f"?fieldManager={FIELD_MANAGER}&force=true"
        return self.request("PATCH", path + query, obj, "application/apply-patch+yaml")

    def delete(self, path: str) -> None:
        """DELETE `path`; an absent object is not an error."""
        try:
            self.request("DELETE", path)
        except ApiError as error:
            if error.status != 404:
                raise

    def wait_ready(self, timeout: float = 60, alive: Callable[[], object] | None = None) -> None:
        """Until /readyz answers ok, or TimeoutError; `alive`, called between tries, may raise
        to stop waiting on a server that is gone."""
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if alive is not None:
                alive()
            try:
                request = urllib.request.Request(self.server + "/readyz")
                with urllib.request.urlopen(request, context=self._context(), timeout=5) as r:
                    if r.read().strip() == b"ok":
                        return
            except (OSError, urllib.error.URLError) as error:
                last = str(error)
            time.sleep(0.5)
        raise TimeoutError(
            f"the API server at {self.server} was not ready in {timeout:.0f} s {last}"
        )


def from_kubeconfig(path: Path) -> Api:
    """The Api of a kubeconfig written by `scripts/dev cluster start`: JSON (which is valid
    YAML), with file paths rather than inline data."""
    config = json.loads(path.read_text())
    cluster = config["clusters"][0]["cluster"]
    user = config["users"][0]["user"]
    return Api(
        server=cluster["server"],
        ca=Path(cluster["certificate-authority"]),
        cert=Path(user["client-certificate"]),
        key=Path(user["client-key"]),
    )
