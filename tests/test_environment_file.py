"""`environment.yml` (for conda users) asks for what `pyproject.toml` declares: a dependency added to one and not
the other leaves a conda user's environment short of a package, found only when an import fails mid-work."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge spells a few packages otherwise than PyPI
CONDA_NAME = {"neo4j": "neo4j-python-driver", "igraph": "python-igraph", "tzdata": "python-tzdata"}


def _name(spec: str) -> str:
    return re.split(r"[\s<>=!~\[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _environment() -> tuple[dict[str, str], dict[str, str], list[str]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda, pip, editable = {}, {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for spec in dep["pip"]:
                if spec.startswith("-e"):
                    editable.append(spec)
                else:
                    pip[_name(spec)] = spec
        else:
            conda[_name(dep)] = dep
    return conda, pip, editable


def _declared() -> tuple[list[str], list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["dependencies"], project["optional-dependencies"]["dev"]


def test_environment_file_asks_for_every_declared_dependency():
    conda, pip, _ = _environment()
    runtime, dev = _declared()
    missing = []
    for spec in runtime + dev:
        name = _name(spec)
        if CONDA_NAME.get(name, name) not in conda and name not in pip:
            missing.append(name)
    assert not missing, f"in pyproject.toml, not in environment.yml: {missing}"


def test_environment_file_pins_and_bounds_as_pyproject_does():
    conda, pip, _ = _environment()
    runtime, dev = _declared()
    differ = []
    for spec in runtime + dev:
        name = _name(spec)
        theirs = pip.get(name) or conda.get(CONDA_NAME.get(name, name), "")
        for op, version in re.findall(r"(==|>=|<)\s*([\w.]+)", spec):
            ops = r"==?" if op == "==" else re.escape(op)
            if not re.search(rf"{ops}\s*{re.escape(version)}(?![\w.])", theirs):
                differ.append(f"{spec!r} against {theirs!r}")
    assert not differ, differ


def test_environment_file_installs_the_checkout_with_its_test_tools():
    _, _, editable = _environment()
    assert editable and all("[dev]" in e for e in editable), editable


def test_the_offices_time_zone_is_found_without_the_systems_zone_files():
    """Every time a user reads is said in ``GRAPHKIT_TZ`` (Asia/Shanghai by default), which ``zoneinfo`` finds in
    the system's zone files or in the ``tzdata`` package: a machine without the files (Windows, a slim container)
    needs the package, so it is a dependency; with no system path, the zone is still found."""
    import subprocess
    import sys

    runtime, _ = _declared()
    assert "tzdata" in {_name(spec) for spec in runtime}
    code = "import zoneinfo; print(zoneinfo.ZoneInfo('Asia/Shanghai').utcoffset(None))"
    r = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONTZPATH": "/nonexistent"}, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
