"""The documentation holds together (issue 27 item 5): every relative Markdown link of the README
and of the documents (docs/, benchmarks/, infra/, the data cards) points to a file or directory of
the repository, and to a heading of that file when it names one; docs/index.md lists every
document under docs/ and the ones outside it."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
INDEX = REPO / "docs" / "index.md"
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
OUTSIDE_DOCS = ("README.md", "benchmarks/README.md", "infra/README.md")


def documents() -> list[Path]:
    """The Markdown files whose links are checked."""
    found = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    found += [REPO / p for p in OUTSIDE_DOCS[1:]]
    found += sorted((REPO / "data").rglob("README.md"))
    return found


def prose(text: str) -> str:
    """The text without fenced code blocks and inline code, where brackets are not links."""
    text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def links(text: str) -> list[str]:
    return LINK.findall(prose(text))


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    heading = heading.strip().lower().replace("`", "")
    return re.sub(r"[^\w\- ]", "", heading).replace(" ", "-")


def anchors(text: str) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for h in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", prose(text), flags=re.M):
        s = slug(h)
        n = seen.get(s, 0)
        seen[s] = n + 1
        out.add(s if n == 0 else f"{s}-{n}")
    return out


def broken_links(path: Path, text: str) -> list[str]:
    """One line per link of ``text`` (the content of ``path``) that does not resolve."""
    problems = []
    for target in links(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http://, https://, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path
        where = f"{path.relative_to(REPO)}: ({target})"
        if REPO not in dest.parents and dest != REPO:
            problems.append(f"{where} points outside the repository")
        elif not dest.exists():
            problems.append(f"{where} names a file that does not exist")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest.read_text()):
            problems.append(f"{where} names no heading of {dest.name}")
    return problems


def test_every_relative_link_resolves():
    problems = [p for doc in documents() for p in broken_links(doc, doc.read_text())]
    assert problems == [], "\n".join(problems)


def test_the_checker_catches_what_would_not_resolve():
    doc = REPO / "docs" / "example.md"  # not written: only its location matters
    text = (
        "[ok](index.md) [dir](experiments/) [web](https://example.org/x.md) "
        "[gone](no-such.md) [up](../../elsewhere.md) [head](../README.md#no-such-heading) "
        "[good head](../README.md#the-numbers-today)\n"
        "`[code](not-a-link.md)`\n```\n[fenced](not-a-link-either.md)\n```\n"
    )
    problems = broken_links(doc, text)
    assert [p.split("(")[1].split(")")[0] for p in problems] == [
        "no-such.md",
        "../../elsewhere.md",
        "../README.md#no-such-heading",
    ]


def test_slugs_follow_github():
    assert slug("The numbers today") == "the-numbers-today"
    assert slug("`decode.py`: customized decoding vs the base model's `generate`") == (
        "decodepy-customized-decoding-vs-the-base-models-generate"
    )
    assert anchors("# A\n## A\n```\n# not a heading\n```\n") == {"a", "a-1"}


def test_the_index_lists_every_document():
    listed = {(INDEX.parent / t.partition("#")[0]).resolve() for t in links(INDEX.read_text())}
    wanted = {p.resolve() for p in (REPO / "docs").rglob("*.md") if p != INDEX}
    wanted |= {(REPO / p).resolve() for p in OUTSIDE_DOCS[1:]}
    wanted |= {p.resolve() for p in (REPO / "data").rglob("README.md")}
    missing = sorted(str(p.relative_to(REPO)) for p in wanted - listed)
    assert missing == [], f"docs/index.md does not list: {missing}"


def test_the_readme_links_the_index_and_the_experiments():
    targets = links((REPO / "README.md").read_text())
    assert "docs/index.md" in targets
    assert any(t.startswith("docs/experiments/") for t in targets)
