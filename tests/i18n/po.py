"""A small reader for gettext PO files (polib is not a dependency).

Reads what ``makemessages`` writes: comments, ``msgctxt``, ``msgid``,
``msgid_plural``, ``msgstr`` and ``msgstr[n]``, with continuation lines.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict = field(default_factory=dict)
    flags: set = field(default_factory=set)
    locations: list = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self):
        return (self.msgctxt, self.msgid)

    @property
    def translated(self):
        """Every form has a non-empty English text and the entry is not fuzzy."""
        if "fuzzy" in self.flags:
            return False
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural.values())
        return bool(self.msgstr)

    def strings(self):
        """The English texts of the entry (one, or one per plural form)."""
        if self.msgid_plural is not None:
            return [self.msgstr_plural[k] for k in sorted(self.msgstr_plural)]
        return [self.msgstr]


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$")


def parse(path):
    """The entries of a PO file, header (empty msgid) included, obsolete ones skipped.

    Entries are separated by blank lines, as ``makemessages`` and ``msgmerge`` write them.
    """
    entries = []
    text = Path(path).read_text(encoding="utf-8")
    for block in re.split(r"\n\s*\n", text):
        entry = Entry()
        target = None
        seen_keyword = False
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#~"):
                entry.obsolete = True
            elif line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#:"):
                entry.locations.extend(line[2:].split())
            elif line.startswith("#") or not line:
                continue
            elif match := _KEYWORD.match(line):
                keyword, index, value = match.groups()
                seen_keyword = True
                value = ast.literal_eval(value)
                if index is not None:
                    target = ("msgstr_plural", int(index))
                    entry.msgstr_plural[int(index)] = value
                else:
                    target = (keyword, None)
                    setattr(entry, keyword, value)
            elif line.startswith('"') and target is not None:
                value = ast.literal_eval(line)
                name, index = target
                if name == "msgstr_plural":
                    entry.msgstr_plural[index] += value
                else:
                    setattr(entry, name, getattr(entry, name) + value)
        if seen_keyword and not entry.obsolete:
            entries.append(entry)
    return entries
