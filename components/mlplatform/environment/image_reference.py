"""Container image references: parsed by the distribution grammar, and what a target asks of them.

A cloud stack pulls from the internet's registries with no one watching: its images must name
their registry and be pinned by digest, so the bytes that run are the bytes reviewed. The
`kubernetes` target (kind, k3d, on-prem) also takes a bare or tag-only name, since images
side-loaded into a local cluster (`kind load docker-image`) have neither registry nor digest.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# The grammar of github.com/distribution/reference reference.go (v0.5.0, lines 4-26):
#   reference := name [":" tag] ["@" digest];  name := [domain "/"] path
#   domain-component := [a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9];  port := [0-9]+
#   path-component := [a-z0-9]+ ([_.]|__|[-]* [a-z0-9]+)*;  tag := [\w][\w.-]{0,127}
#   digest := algorithm ":" hex;  algorithm := [A-Za-z][A-Za-z0-9]* ([+._-] [A-Za-z][A-Za-z0-9]*)*
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[_.]|__|[-]+)[a-z0-9]+)*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(
    rf"^(?:(?P<domain>{_DOMAIN})/)?(?P<path>{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)"
    rf"(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?$"
)
PINNED_DIGEST = {"sha256": re.compile(r"^[a-f0-9]{64}$"), "sha512": re.compile(r"^[a-f0-9]{128}$")}
"""The OCI image spec's registered digest algorithms and their encodings (image-spec
descriptor.md, "Registered algorithms")."""
EXAMPLE = "ghcr.io/mlflow/mlflow:v3.17.2-full@sha256:<64 hex digits>"


class ImageReference(NamedTuple):
    """A parsed image reference; `registry` is None when the name has no registry host."""

    registry: str | None
    repository: str
    tag: str | None
    digest: str | None


def parse(value: str) -> ImageReference | None:
    """The reference's parts, or None when `value` is not an image reference. As Docker reads
    it (normalize.go, splitDockerDomain), the first component is a registry host only when it
    has a "." or ":" or is "localhost": `mlflow/mlflow:v3` is on Docker Hub, implicitly."""
    match = _REFERENCE.match(value)
    if match is None:
        return None
    domain, path = match["domain"], match["path"]
    if domain is not None and not ("." in domain or ":" in domain or domain == "localhost"):
        domain, path = None, f"{domain}/{path}"
        if _REFERENCE.match(path) is None:  # an upper-case "registry" that is no registry
            return None
    return ImageReference(domain, path, match["tag"], match["digest"])


def problem(value: str, target: str) -> str | None:
    """What is wrong with `value` as an image of a `target` stack, with the fix; None if fine."""
    ref = parse(value)
    if ref is None:
        return f"is not a container image reference; write it as {EXAMPLE}"
    if target == "kubernetes":
        return None
    if ref.registry is None:
        return (
            f"names no registry; on {target} write the registry host first and pin the digest, "
            f"e.g. {EXAMPLE} (for a private or air-gapped registry, its own host)"
        )
    if ref.digest is None:
        return (
            f"is not pinned by digest, and a tag can be moved to other contents; on {target} "
            "append @sha256:<digest> (`docker buildx imagetools inspect IMAGE` or "
            "`crane digest IMAGE` prints it)"
        )
    algorithm, _, encoded = ref.digest.partition(":")
    pattern = PINNED_DIGEST.get(algorithm)
    if pattern is None or not pattern.match(encoded):
        return (
            f"has digest {ref.digest!r}, which is not a sha256 (64 lower-case hex digits) or "
            "sha512 (128) digest; copy the digest the registry reports"
        )
    return None
