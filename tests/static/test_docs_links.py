"""The documentation holds together: every relative link in README.md, CONTRIBUTING.md and
docs/*.md names a file that exists (and, into a Markdown page, a heading it has), every page of
docs/ is linked from README.md or CONTRIBUTING.md, the README stays short enough to read top to
bottom, and its quickstart keeps the two commands that work on a fresh machine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGES = sorted(
    [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").glob("*.md")],
    key=lambda p: p.relative_to(ROOT).as_posix(),
)
README_MAX_LINES = 450
QUICKSTART = """\
scripts/dev plan          # the main job: offline plan of the default stack (aws-dev)
scripts/dev test          # the whole test suite (what CI runs); also needs Go 1.26.8,
                          # with which it builds the real engine the first time
"""
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|^\[[^\]]+\]:\s*(\S+)", re.M)
EXTERNAL = ("http://", "https://", "mailto:")


def unfenced(text: str) -> str:
    """The text outside fenced code blocks."""
    return re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)


def prose(text: str) -> str:
    """The text outside code blocks and inline code, where links are links."""
    return re.sub(r"`[^`\n]*`", "", unfenced(text))


def links(page: Path) -> list[str]:
    return [a or b for a, b in LINK.findall(prose(page.read_text(encoding="utf-8")))]


def anchors(page: Path) -> set[str]:
    """The ids GitHub gives the page's headings: lower case, punctuation dropped, spaces as
    dashes, a repeated one numbered."""
    seen: dict[str, int] = {}
    for heading in re.findall(r"^#{1,6} (.+)$", unfenced(page.read_text(encoding="utf-8")), re.M):
        text = re.sub(r"[*_`]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
        slug = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        if count:
            seen[f"{slug}-{count}"] = 1
    return set(seen)


def broken(page: Path) -> list[str]:
    found = []
    for target in links(page):
        if target.startswith(EXTERNAL):
            continue
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            found.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            found.append(f"{target}: no such heading in {resolved.name}")
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    assert page.is_file()
    assert broken(page) == []


def test_the_maintainers_pages_exist() -> None:
    assert {p.relative_to(ROOT).as_posix() for p in PAGES} >= {
        "CONTRIBUTING.md",
        "docs/checks.md",
        "docs/cost.md",
        "docs/performance.md",
    }


def test_every_docs_page_is_linked_from_the_readme_or_the_contributors_guide() -> None:
    linked = {
        (ROOT / target.partition("#")[0]).resolve()
        for page in (ROOT / "README.md", ROOT / "CONTRIBUTING.md")
        for target in links(page)
        if not target.startswith(EXTERNAL)
    }
    assert sorted(p.name for p in (ROOT / "docs").glob("*.md") if p.resolve() not in linked) == []


def test_the_readme_stays_short() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) < README_MAX_LINES


def test_the_quickstart_is_the_readmes_first_command_block() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.search(r"^```bash\n(.*?)^```", readme, re.M | re.S)
    assert first is not None
    assert first.group(1) == QUICKSTART
    assert readme.index("## Quickstart") < first.start()


def test_the_link_checker_sees_a_broken_link_and_a_missing_heading(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other page\n\n## A `code` heading\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](other.md#a-code-heading) [gone](missing.md) [bad](other.md#nowhere)\n"
        "[self](#top) `[not a link](nowhere.md)`\n\n# Top\n\n```\n[in code](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    assert broken(page) == [
        "missing.md: no such file",
        "other.md#nowhere: no such heading in other.md",
    ]
