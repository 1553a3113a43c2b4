"""The console's first line of defence: refuse, before any engine sees it, analyst Cypher that
would reach outside the graph (files, the network, other databases, server settings) or run
more than one statement.

Writes are not looked for here: the engines refuse them (read-only database and read
transactions). What the engines would *allow* in a read-only setting is refused here: LadybugDB
reads files with ``LOAD FROM`` and writes them with ``EXPORT DATABASE`` even when opened
read-only, and Neo4j runs ``LOAD CSV`` and procedures in read transactions.

The lexer follows both engines' lexical rules (strings in single or double quotes with
backslash escapes, ``//`` and ``/* */`` comments, identifiers in backticks with doubled
backticks) and errs on the side of seeing *more* code: a line comment ends at any line break
character, and forbidden words are searched for with ASCII word boundaries in the code with
strings and comments blanked out, so no text the engine reads as a keyword can hide from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import QueryError


class RefusedQuery(QueryError):
    """The console does not run this query; the message says why and what to do instead."""


class EmptyQuery(QueryError):
    """There is no statement to run."""


class MissingParameter(QueryError):
    """The query uses ``$parameters`` that were given no value."""

    def __init__(self, names: list[str]) -> None:
        listed = ", ".join(f"${n}" for n in names)
        super().__init__(f"the query uses {listed}, which {'has' if len(names) == 1 else 'have'}"
                         " no value: give a value for each parameter")
        self.names = names


@dataclass(frozen=True)
class Token:
    """A lexical unit outside strings and comments: ``word``, ``name`` (in backticks),
    ``param``, ``string``, ``number`` or ``symbol``."""

    kind: str
    text: str
    start: int

    @property
    def value(self) -> str:
        """A word or a backticked name as the engine reads it (case kept)."""
        if self.kind == "name":
            return self.text[1:-1].replace("``", "`")
        return self.text


_LINE_BREAKS = "\n\r\u2028\u2029\x85\x0b\x0c"
_WORD = re.compile(r"[^\W\d]\w*")
_NUMBER = re.compile(r"\d[\w.]*")
_PARAM = re.compile(r"\$(?:[^\W\d]\w*|\d+|`(?:[^`]|``)*`)")


def tokens(text: str) -> tuple[list[Token], str]:
    """The query's tokens, and its text with strings, comments and backticked names blanked
    to spaces (same length, so offsets agree). RefusedQuery for an unterminated string,
    comment or name: the engine would reject it, and nothing after it can be checked."""
    found: list[Token] = []
    code = list(text)
    i, n = 0, len(text)

    def blank(start: int, end: int) -> None:
        for k in range(start, end):
            code[k] = " "

    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif text.startswith("//", i):
            end = i
            while end < n and text[end] not in _LINE_BREAKS:
                end += 1
            blank(i, end)
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise RefusedQuery(f"a comment opened at {_where(text, i)} is never closed")
            blank(i, end + 2)
            i = end + 2
        elif c in "'\"":
            end = _string_end(text, i)
            found.append(Token("string", text[i:end], i))
            blank(i, end)
            i = end
        elif c == "`":
            end = _backtick_end(text, i)
            found.append(Token("name", text[i:end], i))
            blank(i, end)
            i = end
        elif c == "$" and (match := _PARAM.match(text, i)):
            found.append(Token("param", match.group(), i))
            blank(i, match.end())
            i = match.end()
        elif match := _WORD.match(text, i):
            found.append(Token("word", match.group(), i))
            i = match.end()
        elif match := _NUMBER.match(text, i):
            found.append(Token("number", match.group(), i))
            i = match.end()
        else:
            found.append(Token("symbol", c, i))
            i += 1
    return found, "".join(code)


def _string_end(text: str, start: int) -> int:
    quote, i = text[start], start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == quote:
            return i + 1
        else:
            i += 1
    raise RefusedQuery(f"a string opened at {_where(text, start)} is never closed")


def _backtick_end(text: str, start: int) -> int:
    i = start + 1
    while i < len(text):
        if text.startswith("``", i):
            i += 2
        elif text[i] == "`":
            return i + 1
        else:
            i += 1
    raise RefusedQuery(f"a name in backticks opened at {_where(text, start)} is never closed")


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def parameter_names(text: str) -> list[str]:
    """The ``$parameters`` a query uses, in order of first use (backticks removed)."""
    names: list[str] = []
    for token in tokens(text)[0]:
        if token.kind == "param":
            name = token.text[1:]
            if name.startswith("`"):
                name = name[1:-1].replace("``", "`")
            if name not in names:
                names.append(name)
    return names


# Words that start something the console never runs, with the reason given to the analyst.
_FILES = "reading or writing files is not offered by the console"
FORBIDDEN: dict[str, str] = {
    "LOAD": "LOAD reads files or URLs (LOAD CSV, LOAD FROM) or loads extensions: " + _FILES,
    "COPY": "COPY imports or exports files: " + _FILES,
    "EXPORT": "EXPORT writes the database to files: " + _FILES,
    "IMPORT": "IMPORT reads a database from files: " + _FILES,
    "ATTACH": "ATTACH opens another database: the console reads this graph only",
    "DATABASE": "commands on databases (create, attach, detach, export, import) are not "
                "offered by the console",
    "DATABASES": "commands on databases are not offered by the console",
    "USE": "USE switches to another database: the console reads this graph only",
    "INSTALL": "INSTALL downloads extensions: the console does not reach the network",
    "UNINSTALL": "UNINSTALL changes the engine's extensions",
    "UPDATE": "UPDATE changes the engine's extensions",
    "CHECKPOINT": "CHECKPOINT writes the database files",
    "BEGIN": "each console query runs in its own read-only transaction",
    "COMMIT": "each console query runs in its own read-only transaction",
    "ROLLBACK": "each console query runs in its own read-only transaction",
    "TRANSACTIONS": "CALL … IN TRANSACTIONS, SHOW TRANSACTIONS and TERMINATE TRANSACTIONS "
                    "are not offered: each console query runs in one read-only transaction",
    "TERMINATE": "TERMINATE stops other users' work",
    "EXPLAIN": "EXPLAIN is not offered by the console (it answers with rows only)",
    "PROFILE": "PROFILE is not offered by the console (it answers with rows only)",
    "CYPHER": "query options (CYPHER …) are not accepted by the console",
    "GRANT": "privileges are not managed from the console",
    "DENY": "privileges are not managed from the console",
    "REVOKE": "privileges are not managed from the console",
    "MACRO": "macros change the catalog: the console never writes",
    "PERIODIC": "USING PERIODIC COMMIT writes in several transactions",
}
_SHOW_ALLOWED = {"INDEX", "INDEXES", "CONSTRAINT", "CONSTRAINTS"}
_SHOW_MODIFIERS = {"ALL", "RANGE", "TEXT", "POINT", "LOOKUP", "FULLTEXT", "VECTOR", "BTREE",
                   "UNIQUE", "UNIQUENESS", "EXIST", "EXISTENCE", "EXISTS", "KEY", "NODE",
                   "RELATIONSHIP", "REL", "PROPERTY", "TYPE"}
_FORBIDDEN_PATTERN = re.compile(
    r"(?<![A-Za-z0-9_])(" + "|".join(sorted([*FORBIDDEN, "SHOW"], key=len, reverse=True))
    + r")(?![A-Za-z0-9_])", re.IGNORECASE)

#: Procedures (CALL) an analyst may run: they list the schema and nothing else.
ALLOWED_PROCEDURES: dict[str, frozenset[str]] = {
    "ladybug": frozenset({"show_tables", "table_info", "show_connection", "show_functions",
                          "show_indexes", "show_macros", "show_sequences", "db_version"}),
    "neo4j": frozenset({"db.labels", "db.relationshiptypes", "db.propertykeys",
                        "db.schema.visualization", "db.schema.nodetypeproperties",
                        "db.schema.reltypeproperties", "dbms.components"}),
}
#: Namespaces of functions an analyst may call: Neo4j's built-ins and APOC's pure families.
#: Any other namespaced function (apoc.cypher.*, apoc.util.*, a plugin's) is refused: it may
#: run other Cypher, sleep, or reach the file system or the network.
ALLOWED_FUNCTION_NAMESPACES = frozenset({
    "date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector",
    "date.realtime", "date.statement", "date.transaction", "datetime.realtime",
    "datetime.statement", "datetime.transaction", "localdatetime.realtime",
    "localdatetime.statement", "localdatetime.transaction", "localtime.realtime",
    "localtime.statement", "localtime.transaction", "time.realtime", "time.statement",
    "time.transaction", "vector.similarity",
    "apoc.coll", "apoc.text", "apoc.map", "apoc.math", "apoc.number", "apoc.convert",
    "apoc.date", "apoc.temporal", "apoc.label", "apoc.node", "apoc.rel", "apoc.any",
})
ALLOWED_FUNCTIONS = frozenset({"db.namefromelementid"})
_KEYWORD_HINT = ("; a property, alias or label with that name can be written in backticks, "
                 "such as `load`")


def check_console_query(text: str, engine: str) -> str:
    """The one statement of ``text`` (a final ``;`` removed), or RefusedQuery saying why the
    console does not run it, or EmptyQuery."""
    found, code = tokens(text)
    if not found:
        raise EmptyQuery("the query is empty: write a Cypher statement such as "
                         "MATCH (a:Author) RETURN a.name LIMIT 10")
    statement_end = _single_statement(found, text)
    _check_words(found, code, text)
    _check_calls(found, engine, text)
    _check_functions(found, text)
    return text[:statement_end].rstrip() if statement_end < len(text) else text


def _single_statement(found: list[Token], text: str) -> int:
    for index, token in enumerate(found):
        if token.kind == "symbol" and token.text == ";":
            if index + 1 < len(found):
                raise RefusedQuery(
                    f"the console runs one statement at a time; a second one starts after "
                    f"the ';' at {_where(text, token.start)}")
            return token.start
    return len(text)


def _previous_symbol(code: str, start: int) -> str:
    """The character before ``start`` in the blanked code, skipping white space."""
    k = start - 1
    while k >= 0 and code[k].isspace():
        k -= 1
    return code[k] if k >= 0 else ""


def _check_words(found: list[Token], code: str, text: str) -> None:
    words = [t for t in found if t.kind == "word"]
    for match in _FORBIDDEN_PATTERN.finditer(code):
        if _previous_symbol(code, match.start()) in (".", ":", "$"):
            continue  # a property, a label or relationship type, a parameter: not a keyword
        word = match.group().upper()
        where = _where(text, match.start())
        if word == "SHOW":
            if _show_allowed(words, match.start()):
                continue
            raise RefusedQuery(
                f"SHOW at {where}: only SHOW INDEXES and SHOW CONSTRAINTS are offered; list "
                "labels and types with CALL db.labels(), db.relationshipTypes() or "
                "db.schema.visualization() (Neo4j) or CALL show_tables() (LadybugDB)"
                + _KEYWORD_HINT)
        raise RefusedQuery(f"{word} at {where}: {FORBIDDEN[word]}{_KEYWORD_HINT}")


def _show_allowed(words: list[Token], start: int) -> bool:
    after = [w.text.upper() for w in words if w.start > start]
    for word in after:
        if word in _SHOW_ALLOWED:
            return True
        if word not in _SHOW_MODIFIERS:
            return False
    return False


def _qualified_name(found: list[Token], index: int) -> tuple[str, int]:
    """A dotted name (``db.schema.visualization``, backticks allowed) starting at ``index``,
    lowercased, and the index after it."""
    parts: list[str] = []
    while index < len(found) and found[index].kind in ("word", "name"):
        parts.append(found[index].value)
        index += 1
        if index + 1 < len(found) and found[index].text == "." and \
                found[index + 1].kind in ("word", "name"):
            index += 1
            continue
        break
    return ".".join(parts).lower(), index


def _check_calls(found: list[Token], engine: str, text: str) -> None:
    allowed = ALLOWED_PROCEDURES.get(engine, frozenset())
    for index, token in enumerate(found):
        if token.kind != "word" or token.text.upper() != "CALL":
            continue
        if index and found[index - 1].text in (".", ":", "$"):
            continue
        following = found[index + 1] if index + 1 < len(found) else None
        if following is None:
            raise RefusedQuery(f"CALL at {_where(text, token.start)} calls nothing")
        if following.text in ("{", "("):
            continue  # a subquery: its clauses are checked like the rest
        name, _ = _qualified_name(found, index + 1)
        if name not in allowed:
            offered = ", ".join(sorted(allowed)) or "none"
            raise RefusedQuery(
                f"CALL {name or following.text} at {_where(text, token.start)}: the console "
                f"only calls procedures that describe the schema ({offered}); others may "
                "reach the file system or the network, change settings or run for long")


def _check_functions(found: list[Token], text: str) -> None:
    index = 0
    while index < len(found):
        token = found[index]
        if token.kind not in ("word", "name") or (index and found[index - 1].text == "."):
            index += 1
            continue
        name, after = _qualified_name(found, index)
        called = index and found[index - 1].kind == "word" and \
            found[index - 1].text.upper() == "CALL"  # a procedure: _check_calls decides
        if not called and "." in name and after < len(found) and found[after].text == "(":
            namespace = name.rpartition(".")[0]
            if namespace not in ALLOWED_FUNCTION_NAMESPACES and name not in ALLOWED_FUNCTIONS:
                raise RefusedQuery(
                    f"the function {name} at {_where(text, token.start)} is not offered: "
                    "the console calls built-in functions and APOC's pure ones (apoc.text, "
                    "apoc.coll, apoc.map, …) only, as others may run other queries or reach "
                    "the file system or the network")
        index = max(after, index + 1)
