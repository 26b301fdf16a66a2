"""Where the CrossGuard policy pack is. The pack's source is the repository's `policies/`; the
distribution ships those files as `mlplatform/policies/` (pyproject.toml maps the package to
that folder), so an installed mlplatform finds its pack with no checkout. `mlplatform check`,
`summary` and `review` use the project's own `policies/` when it holds a pack, else the shipped
one, or the folder `--policy-pack` names.

Imports nothing beyond the standard library: `mlplatform policy-pack path` runs it alone.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_PACK = "policies"
"""A project's own pack, beside its Pulumi.yaml (this repository's is the shipped pack)."""
PACK_FILES = ("PulumiPolicy.yaml", "__main__.py")
"""What makes a folder a Python policy pack: its project file and its program."""


class PackNotFoundError(ValueError):
    """A policy pack folder that holds no pack."""


def is_pack(folder: Path) -> bool:
    return all((folder / name).is_file() for name in PACK_FILES)


def shipped_pack() -> Path:
    """The pack installed with mlplatform. In an editable install, whose package is a tree of
    links, the folder the links point to: the repository's `policies/`."""
    folder = Path(__file__).parent / PROJECT_PACK
    marker = folder / PACK_FILES[0]
    return marker.resolve().parent if marker.is_file() else folder


def find_pack(given: Path | None, project_dir: Path) -> Path:
    """The pack to run: `given`, else the project's own `policies/` when it holds a pack, else
    the shipped one. Raises `PackNotFoundError` naming the folder and what to do."""
    if given is not None:
        if not is_pack(given):
            raise PackNotFoundError(
                f"no policy pack at {given.absolute()}: a pack's folder holds "
                f"{' and '.join(PACK_FILES)}; give one, or leave --policy-pack out for the pack "
                "mlplatform ships (mlplatform policy-pack path)"
            )
        return given
    own = project_dir / PROJECT_PACK
    if is_pack(own):
        return own
    shipped = shipped_pack()
    if not is_pack(shipped):
        raise PackNotFoundError(
            f"the policy pack mlplatform ships is missing from {shipped}: reinstall mlplatform, "
            "or give a pack's folder with --policy-pack"
        )
    return shipped
