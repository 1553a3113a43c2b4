"""A user's identity overrides, applied at load time: a CSV file of ``name or id`` →
``canonical id`` or ``keep apart``.

    # comments and blank lines are ignored
    Rae, Jack W.,orcid:0000-0002-1825-0097
    name:j rae,orcid:0000-0002-1825-0097
    J. Smith,keep apart

A left side with an id scheme (``orcid:``, ``name:``, …) matches that author id; anything
else matches a byline spelling (case, accents and punctuation ignored) of an author the
source names without an id. ``keep apart`` means: never merge this name or id into another
person on evidence alone.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .model import ID_SCHEMES
from .names import fold
from .personal_names import parse_name

KEEP_APART = "keep apart"


class ThesaurusError(ValueError):
    """The thesaurus file cannot be used; the message names the file and line."""


def spelling(name: str) -> str:
    """A name as the thesaurus compares it: 'Smith, J.' and 'J. Smith' are one spelling."""
    parsed = parse_name(name)
    return " ".join((parsed.family, *parsed.given))


AUTHOR_SCHEMES = ("orcid", "openalex", "dblp", "scopus", "name")


def is_id(text: str, schemes: tuple[str, ...] = ID_SCHEMES) -> bool:
    """Does the text carry one of the model's id schemes ('orcid:…', 'name:…')?"""
    scheme, sep, rest = text.partition(":")
    return bool(sep and rest) and scheme in schemes


@dataclass
class Thesaurus:
    ids: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    keep_apart_ids: set[str] = field(default_factory=set)
    keep_apart_names: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return (len(self.ids) + len(self.names) + len(self.keep_apart_ids)
                + len(self.keep_apart_names))

    def target(self, name: str) -> str | None:
        """The canonical id the user chose for a name-only byline spelled so, if any (id
        entries apply to resolved ids: see explorer.identity)."""
        return self.names.get(spelling(name)) if self.names else None

    def keeps_apart(self, author_id: str, name: str) -> bool:
        return author_id in self.keep_apart_ids or (
            bool(self.keep_apart_names) and spelling(name) in self.keep_apart_names)


def read_thesaurus(path: Path) -> Thesaurus:
    """Parse a thesaurus file; every problem is reported with its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ThesaurusError(f"{path}: no such thesaurus file") from None
    except UnicodeDecodeError:
        raise ThesaurusError(f"{path}: a thesaurus file must be UTF-8 text") from None
    except OSError as exc:
        raise ThesaurusError(f"{path}: cannot read the thesaurus ({exc.strerror})") from None
    thesaurus = Thesaurus()
    reader = csv.reader(io.StringIO(text))
    while True:
        number = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ThesaurusError(f"{path}: line {number}: not CSV ({exc})") from None
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        where = f"{path}: line {number}"
        if len(row) < 2:
            raise ThesaurusError(f"{where}: expected 'name or id,canonical id or keep apart'")
        # A name in 'Family, Given' form has a comma of its own: the target is the last cell.
        source, target = ",".join(row[:-1]).strip(), row[-1].strip()
        if not fold(source):
            raise ThesaurusError(f"{where}: the name or id on the left is empty")
        if target.lower() == KEEP_APART:
            (thesaurus.keep_apart_ids if is_id(source) else thesaurus.keep_apart_names).add(
                source if is_id(source) else spelling(source))
        elif is_id(target, AUTHOR_SCHEMES):
            if is_id(source):
                thesaurus.ids[source] = target
            else:
                thesaurus.names[spelling(source)] = target
        else:
            raise ThesaurusError(
                f"{where}: {target!r} is neither an author id (one of the schemes "
                f"{', '.join(s + ':' for s in AUTHOR_SCHEMES)}) nor 'keep apart'")
    return thesaurus
