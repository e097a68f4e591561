"""``--jabref-group NAME``: new entries join a JabRef static group, and JabRef can show it.

JabRef (4 and later) keeps static-group membership in each entry's ``groups`` field, names
separated by its keyword separator (``,``), and the group tree in a trailing
``@Comment{jabref-meta: grouping: ...}`` block. A static group (``ExplicitGroup``) is a
keyword group on that field: it lists every entry whose ``groups`` has its name as one of the
comma-separated words, case-sensitively. So an entry naming a group the tree lacks keeps its
``groups`` field when JabRef saves the file, no group lists it, and once a static group of that
name is created (in JabRef: Groups, Add subgroup) it lists the entry at once.

So bibexport writes ``groups = {NAME}`` on every new entry, and about the tree:

- a new file, or a file without a group tree, gets one defining NAME, appended after the last
  byte, which changes no existing byte;
- a file whose tree has NAME as a static group needs nothing;
- a file whose tree lacks NAME is left as it is, since adding a line means rewriting a block
  the user has, and stderr says how to create the group in JabRef.

A group line is serialised as JabRef's GroupSerializer does for an ExplicitGroup:
``StaticGroup:`` + name + ``;0;1;;;;`` (independent of its parent, expanded, no colour, icon or
description), each ``;`` and ``\\`` of the name escaped with ``\\``, and then the whole line
escaped once more (MetaDataSerializer), each line ending with ``;``.
"""

from __future__ import annotations

import re

from ._dataclass import dataclass
from .append import Existing
from .errors import InputError

_GROUPING = re.compile(rb"@comment\s*\{\s*jabref-meta:\s*grouping:", re.IGNORECASE)
_STATIC_TYPES = ("StaticGroup", "ExplicitGroup")  # ExplicitGroup: JabRef 3's name for it


def check_group_name(name: str) -> str:
    """The name, if JabRef can keep entries in a group of that name via their groups field."""
    if not name.strip() or name != name.strip():
        raise InputError(f"--jabref-group {name!r}: give a name without spaces around it")
    if "," in name:
        raise InputError(
            f"--jabref-group {name!r}: a comma separates group names in JabRef's groups field, "
            "so a group name cannot have one"
        )
    if any(c in name for c in "{}") or not name.isprintable():
        raise InputError(f"--jabref-group {name!r}: braces and control characters cannot be used")
    return name


def _escape(text: str) -> str:
    """JabRef's StringUtil.quote(text, ";", '\\\\')."""
    return text.replace("\\", "\\\\").replace(";", "\\;")


def _split(text: str) -> list[str]:
    """Split at each ``;`` not escaped by ``\\``, dropping the escapes: quote's inverse."""
    parts, current, i = [], [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            current.append(text[i + 1])
            i += 2
            continue
        if c == ";":
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
        i += 1
    parts.append("".join(current))
    return parts


def static_group_line(name: str, level: int = 1) -> str:
    """``1 StaticGroup:Reading\\;0\\;1\\;\\;\\;\\;;`` as JabRef writes it."""
    group = f"StaticGroup:{_escape(name)};0;1;;;;"
    return f"{level} {_escape(group)};"


def grouping_block(name: str) -> str:
    """A whole group tree: JabRef's root and the static group ``name`` under it."""
    return f"@Comment{{jabref-meta: grouping:\n0 AllEntriesGroup:;\n{static_group_line(name)}\n}}\n"


def group_tree(data: bytes) -> dict[str, str] | None:
    """Group name -> group type (``StaticGroup``, ``KeywordGroup``...) in the file's last
    grouping block; None if it has none."""
    starts = list(_GROUPING.finditer(data))
    if not starts:
        return None
    start = starts[-1].end()
    depth, end = 1, start
    while end < len(data) and depth:
        depth += {ord("{"): 1, ord("}"): -1}.get(data[end], 0)
        end += 1
    body = data[start : end - 1].decode("utf-8", "replace")
    groups: dict[str, str] = {}
    for line in _split(body):
        line = line.strip()
        level, _, group = line.partition(" ")
        kind, colon, rest = group.partition(":")
        if not (level.isdigit() and colon) or kind == "AllEntriesGroup":
            continue
        groups.setdefault(_split(rest)[0], kind)
    return groups


@dataclass(frozen=True, slots=True)
class GroupPlan:
    """What to do about the group tree of one output: a block to append, and what to say."""

    block: str  # appended after the file's last byte ("" for nothing)
    note: str | None


def plan_group(name: str, path: str, existing: Existing | None) -> GroupPlan:
    """Decide, for the output ``path`` (``-`` for stdout; ``existing`` None for a new file),
    whether the group tree gets NAME, and the line the user reads about it."""
    field = f"groups = {{{name}}}"
    if path == "-":
        return GroupPlan(
            "",
            f"new entries have {field}; create the static group {name!r} in JabRef to see "
            "them there (with -o FILE bibexport defines it in a new file)",
        )
    tree = group_tree(existing.data) if existing else None
    if tree is None:
        # After the new entries, or after the file's trailing JabRef blocks (which may lack
        # a final newline): one blank line, then the tree.
        gap = "\n\n" if existing and existing.suffix and existing.suffix[-1:] != b"\n" else "\n"
        where = "a new group tree" if existing else "its group tree"
        return GroupPlan(
            gap + grouping_block(name),
            f"{path}: new entries have {field}, and {where} defines the JabRef static group "
            f"{name!r}",
        )
    kind = tree.get(name)
    if kind in _STATIC_TYPES:
        return GroupPlan("", f"{path}: new entries have {field} (JabRef static group {name!r})")
    if kind is not None:
        return GroupPlan(
            "",
            f"{path}: new entries have {field}, but {name!r} is a JabRef {kind} there, not a "
            "static group, so JabRef does not list entries in it by that field; the group "
            "tree was left as it was",
        )
    return GroupPlan(
        "",
        f"{path}: new entries have {field}, but the file's JabRef group tree has no group "
        f"{name!r}, and bibexport leaves the tree as it is: in JabRef, add a static group "
        f"named {name!r} (Groups, Add subgroup) and it lists them",
    )
