"""An exception raised by a user's Pulumi program, told in terms of the user's own code.

The traceback of an error in `__main__.py` runs through the engine, the Pulumi SDK, runpy and
asyncio; the user needs none of that. `describe` keeps the frames of the program (every file
outside this package, the standard library and installed packages) and leads with the last
one's file and line, where the user's code went wrong or called into a library that raised.
A `pulumi.RunError` (the SDK's error for an expected failure, `Config.require`'s too) is its
message at that line and no traceback, as the SDK's own language host prints it with none.
"""

from __future__ import annotations

import os
import sys
import sysconfig
import traceback
from functools import cache
from pathlib import Path

from pulumi import RunError

import mlplatform

HEADING = "Traceback of your program (most recent call last):"


@cache
def _library_dirs() -> tuple[str, ...]:
    """Folders whose code is not the user's: this package, the standard library and every
    installed package (also a virtualenv inside the project)."""
    paths = sysconfig.get_paths()
    folders = {
        Path(mlplatform.__file__).resolve().parent,
        Path(mlplatform.__file__).parent,
        *(Path(paths[key]) for key in ("stdlib", "platstdlib", "purelib", "platlib")),
        *(Path(prefix) for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix)),
    }
    return tuple(os.path.join(folder, "") for folder in sorted(map(str, folders)))


def is_users(filename: str) -> bool:
    """A frame of the user's program: a real file none of ours or of an installed package."""
    if filename.startswith("<"):  # <frozen runpy>, <string>
        return False
    resolved = str(Path(filename).resolve())
    return not any(p.startswith(_library_dirs()) for p in (filename, resolved))


def describe(exc: BaseException) -> str | None:
    """`file:line: Type: message` and the traceback of the user's frames (a `RunError`:
    `file:line: message` alone); None when no frame is the user's (an error of the engine's
    own)."""
    frames = traceback.StackSummary.from_list(
        [f for f in traceback.extract_tb(exc.__traceback__) if is_users(f.filename)]
    )
    headline = "".join(traceback.format_exception_only(type(exc), exc)).rstrip("\n")
    if isinstance(exc, SyntaxError) and exc.filename and is_users(exc.filename):
        # The program never ran: its file and line are the error's own, shown with a caret.
        return f"{exc.filename}:{exc.lineno}: {headline.splitlines()[-1]}\n" + "\n".join(
            headline.splitlines()[:-1]
        )
    if not frames:
        return None
    last = frames[-1]
    if isinstance(exc, RunError):
        return f"{last.filename}:{last.lineno}: {exc}"
    return f"{last.filename}:{last.lineno}: {headline}\n{HEADING}\n" + "".join(
        frames.format()
    ).rstrip("\n")
