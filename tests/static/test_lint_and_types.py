"""Ruff (lint + format) and basedpyright against the provider SDKs' own type hints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)


SOURCES = ("components", "stacks", "policies", "tests", "examples", "provider", "bench")


def test_ruff_lint() -> None:
    result = run(str(BIN / "ruff"), "check", *SOURCES)
    assert result.returncode == 0, result.stdout


def test_ruff_format() -> None:
    result = run(str(BIN / "ruff"), "format", "--check", *SOURCES)
    assert result.returncode == 0, result.stdout


def test_basedpyright_is_clean_over_components_and_stacks() -> None:
    result = run(str(BIN / "basedpyright"), "--pythonpath", sys.executable)
    assert "0 errors, 0 warnings" in result.stdout, result.stdout[-5000:]
    assert result.returncode == 0
