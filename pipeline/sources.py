"""Source names: a record's ``id`` and ``source.path``, the same from the command line and the library.

A file found in an input folder is named by its path relative to that folder, with its
extension (``news/a.md``); a file given by itself is named by its file name (``a.md``). When
two inputs give the same name, the input folder's name goes in front (``a/x.md``,
``b/x.md``), and its position among the inputs too if those names are equal as well
(``samples-1/x.md``). Names are '/'-separated, valid Unicode, and never contain an empty,
``.`` or ``..`` part, so a name can also be a path under an output folder.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class SourceNameError(ValueError):
    """Inputs that cannot be given distinct names, or a file outside the folder it is named against."""


@dataclass(frozen=True)
class SourceFile:
    """A file to extract and its source name: the record's ``id`` and ``source.path``, and its manifest key."""

    path: Path
    name: str


Found = tuple[int, str, SourceFile]
"""A file with the position of the input it was found under and that input's label (its folder's name)."""


def part(name: str) -> str:
    """A file name as one component of a source name: valid Unicode (undecodable bytes
    shown as ``\\xff``), and never empty, ``.`` or ``..``, so it cannot climb out of a folder."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return {"": "_", ".": "_", "..": "__"}.get(text, text)


def given_file(index: int, path: Path) -> Found:
    """A file given by itself: named by its file name, labelled by its folder's name."""
    return index, part(Path(os.path.abspath(path)).parent.name), SourceFile(path, part(path.name))


def under_root(path: Path, root: Path) -> str:
    """``path``'s name relative to the folder ``root`` (``news/a.md``)."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    parts = Path(relative).parts
    if not parts or parts[0] == os.pardir or os.path.isabs(relative) or relative == os.curdir:
        raise SourceNameError(f"{path} is not a file under {root}")
    return "/".join(part(p) for p in parts)


def name_files(paths: Iterable[str | Path], root: str | Path | None = None) -> list[SourceFile]:
    """The library's names for ``paths``, in their order: relative to ``root`` when given, else
    as the command line names files given by themselves (module docstring)."""
    files = [Path(p) for p in paths]
    if root is not None:
        return [SourceFile(path, under_root(path, Path(root))) for path in files]
    first: dict[str, Path] = {}  # a file given twice is one source, named once
    for path in files:
        first.setdefault(os.path.realpath(path), path)
    named = distinct([given_file(index, path) for index, path in enumerate(first.values())])
    names = {os.path.realpath(source.path): source.name for source in named}
    return [SourceFile(path, names[os.path.realpath(path)]) for path in files]


def distinct(found: list[Found]) -> list[SourceFile]:
    """Source names made unique across inputs (module docstring), in ``found``'s order."""
    prefixes = (lambda index, label: label, lambda index, label: f"{label}-{index + 1}")
    names = [source.name for _, _, source in found]
    for prefix in prefixes:
        counts = Counter(names)
        names = [
            f"{prefix(index, label)}/{source.name}" if counts[name] > 1 else name
            for (index, label, source), name in zip(found, names)
        ]
    if clashes := sorted(name for name, n in Counter(names).items() if n > 1):
        raise SourceNameError(f"cannot give distinct names to the inputs: {', '.join(clashes)}")
    return [SourceFile(source.path, name) for (_, _, source), name in zip(found, names)]
