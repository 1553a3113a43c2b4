"""`coauthor-explorer query` (ad hoc Cypher, or a stored query with --stored) and
`coauthor-explorer queries` (the stored queries): the same code path as /api/cypher and
/api/queries/<name>, with the same limits and refusals."""

from __future__ import annotations

from typing import Any

import click
import orjson
from flask import current_app
from flask.cli import with_appcontext

from .console.run import ConsoleAnswer, ConsoleRequest, run_console
from .console.stored import StoredQueries, UnknownQuery
from .console.values import cell, csv_text, json_bytes
from .errors import InvalidParameter
from .store.schema_check import open_reader
from .terminal import printable


def _parse_param(text: str) -> tuple[str, str]:
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"{text!r} is not name=value", param_hint="--param")
    return name, raw


def _json_or_text(raw: str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw


def format_answer(answer: ConsoleAnswer, fmt: str) -> str:
    """A result as an aligned table, JSON (the API's answer without the graph and the
    timing, so that the same graph always prints the same) or CSV."""
    result = answer.result
    if fmt == "json":
        payload = answer.payload(graph=False)
        del payload["elapsed_ms"]
        return json_bytes(payload, indent=True).decode()
    if fmt == "csv":
        return csv_text(result.columns, result.rows).replace("\r\n", "\n").rstrip("\n")
    cells = [[printable(c) for c in result.columns]] + [
        [printable(cell(v)) for v in row] for row in result.rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(result.columns))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in cells]
    if result.columns:
        lines.insert(1, "  ".join("-" * w for w in widths))
    cut = ", truncated at the row cap" if result.truncated else ""
    cut += ", stopped at the time limit" if result.timed_out else ""
    lines.append(f"({len(result.rows)} rows{cut})")
    return "\n".join(lines)


def _stored() -> StoredQueries:
    config = current_app.config["EXPLORER"]
    return StoredQueries(config.engine, config.stored_queries_dir)


@click.command()
@click.argument("cypher", required=False)
@click.option("--stored", "stored_name", metavar="NAME",
              help="Run the stored query NAME (see `coauthor-explorer queries`).")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter. Ad hoc: VALUE is read as JSON when it parses, else as "
                   "text. Stored: typed by the query's @param line (repeat for a list).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option("--timeout-ms", type=click.IntRange(min=1), help="Lower the time limit.")
@click.option("--max-rows", type=click.IntRange(min=1), help="Lower the row cap.")
@click.pass_context
@with_appcontext
def query(ctx: click.Context, cypher: str | None, stored_name: str | None,
          params: tuple[str, ...], fmt: str, timeout_ms: int | None,
          max_rows: int | None) -> None:
    """Run read-only Cypher (or a stored query): the engine refuses writes, and reading
    files, the network or other databases is refused too. Exits with 1 when the time
    limit stopped the query."""
    pairs = [_parse_param(p) for p in params]
    try:
        if stored_name:
            if cypher:
                raise click.UsageError("give CYPHER or --stored NAME, not both")
            given: dict[str, list[str]] = {}
            for name, raw in pairs:
                given.setdefault(name, []).append(raw)
            request = _stored()[stored_name].request(given, timeout_ms=timeout_ms,
                                                     max_rows=max_rows)
        elif cypher:
            request = ConsoleRequest(cypher, {n: _json_or_text(v) for n, v in pairs},
                                     timeout_ms, max_rows)
        else:
            raise click.UsageError("give the CYPHER to run, or --stored NAME")
    except UnknownQuery as exc:
        raise click.ClickException(f"no stored query is named {exc.args[0]!r}; "
                                   "`coauthor-explorer queries` lists them") from None
    except InvalidParameter as exc:
        raise click.ClickException(str(exc)) from None
    with open_reader(current_app.config["EXPLORER"]) as store:
        answer = run_console(store, request)
    click.echo(format_answer(answer, fmt))
    for notice in answer.notices():
        click.echo(f"note: {notice}", err=True)
    if answer.result.timed_out:
        ctx.exit(1)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@with_appcontext
def queries(fmt: str) -> None:
    """List the stored queries: the app's (cypher/) and the operator's
    (COAUTHOR_EXPLORER_STORED_QUERIES), with their parameters."""
    summaries = [q.summary() for q in _stored().all()]
    if fmt == "json":
        click.echo(json_bytes(summaries, indent=True).decode())
        return
    for summary in summaries:
        params = " ".join(f"{p['name']}:{p['type']}" + ("" if p["required"] else
                                                          f"={p['default']}")
                          for p in summary["params"])
        origin = " (operator)" if summary["origin"] == "operator" else ""
        click.echo(f"{summary['name']}{origin}  {params}".rstrip())
        click.echo(f"    {summary['description']}")
