"""The `coauthor-explorer` command, built on Flask's CLI (click)."""

from __future__ import annotations

import atexit
import gc
import os
import sys
from importlib import import_module
from pathlib import Path
from typing import Any, TextIO

import click
import orjson
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext

from loaders import SOURCES

from . import __version__
from .app import create_app
from .bulk import GraphNotEmpty
from .cli_query import queries, query
from .curation import CurationError, merge_authors, split_author
from .settings import SettingError, default_db_path
from .store import GraphStore, StoreError, open_store
from .store.schema_check import open_reader
from .terminal import printable
from .thesaurus import ThesaurusError, read_thesaurus

DEMO_FILE = Path(__file__).parent / "data" / "demo.bib"
DEMO_OPENALEX_FILE = Path(__file__).parent / "data" / "demo-openalex.jsonl"
#: What `demo` loads: seed 003's papers, and 100 OpenAlex works with topics and institutions.
DEMO_LOADS = (("bibtex", DEMO_FILE), ("openalex", DEMO_OPENALEX_FILE))
CONNECTION_OPTIONS = {
    "db": "db_path", "neo4j_uri": "neo4j_uri", "neo4j_user": "neo4j_user",
    "neo4j_password": "neo4j_password", "neo4j_database": "neo4j_database",
}


def _app_factory() -> Any:
    info = click.get_current_context().find_object(ScriptInfo)
    overrides = info.data.get("overrides", {}) if info else {}
    return create_app(**overrides)


LAZY_COMMANDS = {"analyze": "explorer.cli_analyze", "export": "explorer.cli_export"}
"""Commands imported only when run or listed: their modules bring networkx, scipy and
pyvis, which would slow the start of every other command (a load among them)."""


class ExplorerGroup(FlaskGroup):
    """FlaskGroup whose expected failures print one line, never a traceback, and whose
    heavy commands are imported when used (click's lazily loaded subcommands)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            return getattr(import_module(LAZY_COMMANDS[cmd_name]), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (StoreError, SettingError, GraphNotEmpty, ThesaurusError, CurationError) as exc:
            position = getattr(exc, "position", None)
            raise click.ClickException(f"{exc}\n{position}" if position else str(exc)) \
                from None


@click.group(cls=ExplorerGroup, create_app=_app_factory, add_default_commands=False,
             load_dotenv=False, set_debug_flag=False, add_version_option=False)
@click.version_option(__version__, prog_name="coauthor-explorer")
@click.option("--db", type=click.Path(dir_okay=False), help="LadybugDB database file.")
@click.option("--neo4j-uri", help="Neo4j URI (switches the engine to Neo4j).")
@click.option("--neo4j-user", help="Neo4j user name.")
@click.option("--neo4j-password", help="Neo4j password.")
@click.option("--neo4j-database", help="Neo4j database name.")
@click.pass_context
def cli(ctx: click.Context, **options: str | None) -> None:
    """Explore co-authorship graphs on embedded LadybugDB (default) or Neo4j 5."""
    info = ctx.ensure_object(ScriptInfo)
    info.data["overrides"] = {CONNECTION_OPTIONS[k]: v for k, v in options.items() if v}


# Flask's own --app, --env-file and --debug make no sense for this command.
cli.params = [p for p in cli.params if p.name not in {"app", "env_file", "debug"}]
cli.add_command(query)
cli.add_command(queries)


def _store(read_only: bool = False) -> GraphStore:
    config = current_app.config["EXPLORER"]
    return open_reader(config) if read_only else open_store(config)


@cli.command()
@with_appcontext
def init() -> None:
    """Create the database and its schema (safe to repeat)."""
    with _store() as store:
        store.init_schema()
        click.echo(f"ready: {store.engine.describe()}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@with_appcontext
def stats(fmt: str) -> None:
    """Count the nodes and relationships in the graph."""
    from .graph import Graph

    with _store(read_only=True) as store:  # a mistyped --db is not made into a database
        figures = Graph(store).stats()
        if fmt == "json":
            click.echo(orjson.dumps(figures).decode())
            return
        click.echo(store.engine.describe())
        for name, value in figures.items():
            click.echo(f"{name.replace('_', ' '):>16}  {value:,}")


def _run_load(source: str, paths: list[Path], reject_file: Path | None,
              bulk: bool | None = None, thesaurus_file: Path | None = None,
              workers: int | None = None) -> None:
    """Load files; ``bulk`` None: in bulk if the graph is empty (the first load)."""
    from .loading import bulk_by_default, load_paths

    config = current_app.config["EXPLORER"]
    thesaurus = read_thesaurus(thesaurus_file) if thesaurus_file else None
    if reject_file:
        _check_rejects(reject_file, paths)
    with _store() as store:
        store.init_schema()
        if bulk is None and bulk_by_default(store):
            bulk = True
            click.echo("the database is empty: a bulk load (--no-bulk for batched "
                       "transactions)", err=True)
        rejects = _open_rejects(reject_file) if reject_file else None
        try:
            report = load_paths(store, source, paths, batch_size=config.write_batch_size,
                                reject_file=rejects, bulk=bool(bulk), thesaurus=thesaurus,
                                workers=workers)
        finally:
            if rejects:
                rejects.close()
    for line in report.lines():
        click.echo(printable(line))
    if reject_file and (report.rejected or report.unreadable):
        click.echo(f"rejected records are listed in {reject_file}")
    if not report.records and (report.rejected or report.unreadable):
        # exit status 1: `load … && next-step` must not go on as if something loaded
        raise click.ClickException("nothing was loaded: every file was unreadable or every "
                                   "record rejected (see above)")


def _check_rejects(reject_file: Path, paths: list[Path]) -> None:
    """Before the database is opened: the rejects file is never one of the files to load
    (opening it would empty it), and it can be written."""
    for path in paths:
        if reject_file.resolve() == path.resolve() or (
                reject_file.exists() and path.exists() and reject_file.samefile(path)):
            raise click.UsageError(f"--rejects {reject_file} is one of the files to load: "
                                   "writing the rejects there would overwrite it")
    folder = reject_file.resolve().parent
    if not folder.is_dir():
        raise click.ClickException(f"cannot write the rejects file {reject_file}: "
                                   f"no folder {folder}")
    if not os.access(reject_file if reject_file.exists() else folder, os.W_OK):
        raise click.ClickException(f"cannot write the rejects file {reject_file}: "
                                   "permission denied")


def _open_rejects(reject_file: Path) -> TextIO:
    try:
        return reject_file.open("w", encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write the rejects file {reject_file}: "
                                   f"{exc.strerror or exc}") from None


_SOURCE_HELP = "\n\n".join(f"{name}: {what}" for name, what in {
    **SOURCES, "auto": "each file's source told from its content"}.items())


@cli.command(epilog=f"Sources:\n\n{_SOURCE_HELP}")
@click.argument("source", type=click.Choice([*SOURCES, "auto"]))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rejects", "reject_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every rejected record, with its reason, to this file.")
@click.option("--bulk/--no-bulk", default=None,
              help="--bulk (the default when the database is empty, LadybugDB): a first "
                   "load, collecting the records in compact form and copying them at once "
                   "(several times faster; OpenAlex JSON Lines are parsed on every core). "
                   "--no-bulk: batched transactions, each kept if the load stops "
                   "(the default once the database holds data).")
@click.option("--thesaurus", "thesaurus_file", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV, no header, one line per author: 'NAME OR ID,CANONICAL ID' or "
                   "'NAME OR ID,keep apart' (docs/graph-model.md, 'The thesaurus file').")
@click.option("--workers", type=click.IntRange(min=1),
              help="Processes parsing OpenAlex JSON Lines in a --bulk load and big PubMed "
                   "files (XML or MEDLINE text) in any load (default: one per core, at most "
                   "4; 1: the loading process alone).")
@with_appcontext
def load(source: str, paths: tuple[Path, ...], reject_file: Path | None, bulk: bool | None,
         thesaurus_file: Path | None, workers: int | None) -> None:
    """Load bibliographic files (loading the same file again changes nothing).

    Authors are resolved to people: ORCID first, then the source's author id, then the
    name, merged with a known author only on evidence (shared co-author or institution).
    """
    _run_load(source, list(paths), reject_file, bulk, thesaurus_file, workers)
    # What a load leaves (the name caches: hundreds of thousands of objects) is kept out of
    # the collections of interpreter shutdown, which walked it for 1 of the 13 s of a bulk
    # PubMed load (bench/RESULTS.md): frozen at exit, once however many loads a process
    # runs. Only here: `demo` and `serve` rely on those collections to close their store.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


@cli.command("export-neo4j-csv", epilog=f"Sources:\n\n{_SOURCE_HELP}")
@click.argument("source", type=click.Choice([*SOURCES, "auto"]))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory for the CSV files (created).")
@click.option("--workers", type=click.IntRange(min=1),
              help="Processes parsing OpenAlex JSON Lines (default: one per core, at most 4).")
@with_appcontext
def export_neo4j_csv(source: str, paths: tuple[Path, ...], out: Path,
                     workers: int | None) -> None:
    """Write bibliographic files as CSV for `neo4j-admin database import full`.

    The records go through the bulk load (identity resolution, co-author pairs, every
    derived property), in memory, without a database; the command to import the files
    into a Neo4j database (replacing what it holds) is printed at the end. Run
    `coauthor-explorer init` against that database afterwards for its constraints and
    indexes.
    """
    from .loading import load_paths
    from .neo4j_import import command
    from .settings import load_config

    config = current_app.config["EXPLORER"]
    scratch = load_config({**config.values, "db_path": ":memory:", "neo4j_uri": ""})
    with open_store(scratch) as store:
        store.init_schema()
        report = load_paths(store, source, list(paths), batch_size=config.write_batch_size,
                            workers=workers, neo4j_csv=out)
    for line in report.lines():
        click.echo(line)
    click.echo(f"import them with Neo4j stopped (this replaces whatever the database "
               f"holds):\n  {command(report.files)}")


@cli.group()
def authors() -> None:
    """Correct author identity: merge people the loaders kept apart, split people apart."""


@authors.command("merge")
@click.argument("sources", nargs=-1, required=True)
@click.option("--into", "target", required=True, help="The author id that remains.")
@with_appcontext
def authors_merge(sources: tuple[str, ...], target: str) -> None:
    """Merge the authors SOURCES into one (their papers, spellings and affiliations)."""
    with _store() as store:
        store.init_schema()  # what writers need and an older database may lack
        click.echo(printable(merge_authors(store, sources, target).message))


@authors.command("split")
@click.argument("author")
@click.argument("papers", nargs=-1, required=True)
@click.option("--into", help="The id that takes the papers (default: a new '<author>~N').")
@with_appcontext
def authors_split(author: str, papers: tuple[str, ...], into: str | None) -> None:
    """Give the PAPERS of AUTHOR to another person (a new one by default)."""
    with _store() as store:
        store.init_schema()
        click.echo(printable(split_author(store, author, papers, into).message))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.pass_context
def demo(ctx: click.Context, host: str, port: int) -> None:
    """Load the bundled demo data (real papers and authors) into a database of its own
    (demo.lbdb beside the default one, unless --db or COAUTHOR_EXPLORER_DB names one) and
    serve the explorer."""
    info = ctx.ensure_object(ScriptInfo)
    overrides = info.data.setdefault("overrides", {})
    if "db_path" not in overrides and not os.environ.get("COAUTHOR_EXPLORER_DB"):
        overrides["db_path"] = str(Path(default_db_path()).with_name("demo.lbdb"))
    with create_app(**overrides).app_context():
        with _store() as store:
            store.init_schema()
            _refuse_a_graph_of_its_own(store)
        for source, path in DEMO_LOADS:
            _run_load(source, [path], None)
        ctx.invoke(serve, host=host, port=port)


def _refuse_a_graph_of_its_own(store: GraphStore) -> None:
    """The demo loads only into an empty graph or one it filled before: its papers mixed
    into someone's own graph could not be told apart again."""
    from loaders import bibtex

    from .graph import Graph
    from .records import Work

    if not Graph(store).stats()["papers"]:
        return
    first = next(w for w in bibtex.read(DEMO_FILE) if isinstance(w, Work))
    if not store.query("paper", id=first.id):
        raise click.ClickException(
            f"{store.engine.describe()} already holds a graph that is not the demo's; the "
            "demo would mix its papers into it: give the demo a database of its own (--db)")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Serve the explorer (development server; see the README for production)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    store = app.extensions["coauthor_store"].get()  # fail now, clearly, not per request
    click.echo(f"serving {store.engine.describe()} at http://{host}:{port}/")
    from werkzeug.serving import run_simple

    run_simple(host, port, app, threaded=True)


@cli.command("gunicorn")
@click.option("--bind", metavar="HOST:PORT", help="Or unix:PATH: where to listen (setting bind).")
@click.option("--workers", metavar="N",
              help="Worker processes (setting workers); on LadybugDB more than one open the "
                   "file read-only and follow loads made meanwhile.")
@click.option("--threads", metavar="N", help="Request threads per worker (setting threads).")
def gunicorn_command(**options: str | None) -> None:
    """Serve the explorer in production: gunicorn with threads, logs of every request,
    /healthz and /readyz, 503 while the database is away, graceful stop on SIGTERM."""
    from .settings import load_config
    from .wsgi import serve as serve_production

    info = click.get_current_context().find_object(ScriptInfo)
    overrides = dict(info.data.get("overrides", {})) if info else {}
    overrides.update((k, v) for k, v in options.items() if v is not None)
    serve_production(load_config(overrides))


def main() -> None:
    try:
        cli.main(prog_name="coauthor-explorer")
    except SettingError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)


__all__ = ["cli", "main"]
