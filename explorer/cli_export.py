"""`coauthor-explorer export author|paper|topic|institution ID` and `export path FROM TO`:
a graph as a self-contained HTML page, JSON, GraphML or GEXF, as the pages' Export links
give it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from .errors import InvalidParameter, NotFound
from .exports import FORMATS, export_document
from .graph import Graph
from .slices import ALL_YEARS, MAX_SLICE, SliceOptions
from .standalone import COLOURS, THEMES
from .store.schema_check import open_reader
from .targets import Target

SUFFIXES = {".html": "html", ".htm": "html", ".json": "json", ".graphml": "graphml",
            ".gexf": "gexf"}


class ExportGroup(click.Group):
    """Unknown ids and impossible options end with one line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NotFound as exc:
            what = ctx.invoked_subcommand or "entity"
            noun = "author" if what == "path" else what
            raise click.ClickException(f"no {noun} has the id {exc.args[0]!r}") from None
        except InvalidParameter as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=ExportGroup)
def export() -> None:
    """A graph as a standalone HTML page (works offline), JSON, GraphML or GEXF."""


def _output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed((
        click.option("--format", "fmt", type=click.Choice(list(FORMATS)),
                     help="Default: from the output file's suffix, else html."),
        click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                     help="File to write (default: standard output)."),
        click.option("--colour", type=click.Choice(COLOURS), default="ring",
                     show_default=True, help="How the HTML page colours people."),
        click.option("--theme", type=click.Choice(THEMES), default="light",
                     show_default=True, help="Light or dark HTML page."),
    )):
        command = option(command)
    return command


def _slice_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed((
        click.option("--depth", type=click.IntRange(1, 2), default=1, show_default=True,
                     help="Around an author: co-authors (1) and theirs (2); for a group: "
                          "its people (1) with their co-authors (2)."),
        click.option("--limit", type=click.IntRange(1, MAX_SLICE), default=100,
                     show_default=True, help="Most people drawn."),
        click.option("--min-weight", type=click.IntRange(min=1), default=1,
                     show_default=True, help="Least joint papers of a link."),
        click.option("--year-from", type=click.IntRange(0, 9999), default=ALL_YEARS[0]),
        click.option("--year-to", type=click.IntRange(0, 9999), default=ALL_YEARS[1]),
        click.option("--topic", default="", help="Only co-authors with works on this topic id."),
    )):
        command = option(command)
    return command


def _write(target: Target, options: SliceOptions, fmt: str | None, output: Path | None,
           colour: str, theme: str) -> None:
    if fmt is None:
        fmt = SUFFIXES.get(output.suffix.lower(), "html") if output else "html"
    config = current_app.config["EXPLORER"]
    with open_reader(config) as store:
        document = export_document(Graph(store), target, fmt, options, colour=colour,
                                   theme=theme)
    if output is None:
        click.echo(document.text, nl=False)
        return
    try:
        output.write_text(document.text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {output} ({fmt})", err=True)


def _group_command(kind: str) -> click.Command:
    @_output_options
    @_slice_options
    @click.argument("entity_id")
    @with_appcontext
    def command(entity_id: str, fmt: str | None, output: Path | None, colour: str,
                theme: str, **slicing: Any) -> None:
        options = SliceOptions(**{**slicing, "topic": slicing["topic"].strip()})
        _write(Target(kind, entity_id), options, fmt, output, colour, theme)

    what = {"author": "the researcher's neighbourhood",
            "paper": "the paper's authors", "topic": "the topic's researchers",
            "institution": "the institution's people"}[kind]
    command.__doc__ = f"The graph of {what} (ENTITY_ID is the {kind}'s id)."
    return click.command(kind)(command)


for _kind in ("author", "paper", "topic", "institution"):
    export.add_command(_group_command(_kind))


@export.command("path")
@_output_options
@click.argument("source")
@click.argument("target")
@with_appcontext
def export_path(source: str, target: str, fmt: str | None, output: Path | None,
                colour: str, theme: str) -> None:
    """The collaboration path between the authors SOURCE and TARGET."""
    _write(Target("path", source, target), SliceOptions(), fmt, output, colour, theme)
