"""How wide the command line's terminal views (rich tables and trees) are drawn.

The views render into a string, so rich cannot see the terminal itself; they ask here: the
`COLUMNS` variable when set (as rich and the standard library honour it), else the width of
the terminal on stdout, stderr or stdin (`mlplatform plan > plan.txt` from a terminal still
fits it), else the view's own fixed width (CI logs, pipes).
"""

from __future__ import annotations

import os
import sys


def width(fallback: int) -> int:
    """Columns to draw in: `COLUMNS`, else the terminal's width, else `fallback`."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for stream in (sys.__stdout__, sys.__stderr__, sys.__stdin__):
        if stream is None:
            continue
        try:
            return os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError):  # not a terminal; closed or detached
            continue
    return fallback
