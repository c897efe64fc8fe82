"""A non-editable install has everything: the wheel holds every module, model YAML, source contract and
Cypher file of the checkout (the queries/ folder is mapped into the wheel as graphkit.queries)."""

import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tracked(*folders: str) -> set[str]:
    out = subprocess.run(
        ["git", "ls-files", *folders], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return {p for p in out if p.endswith((".py", ".yaml", ".cypher"))}


def test_wheel_holds_every_module_yaml_and_cypher_file(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no file list to compare the wheel with")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--verbose", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    # a folder of data files setuptools is not told about: eight screens of warnings in a newcomer's `make demo`,
    # and setuptools says it will leave such files out of the wheel
    ignored = re.findall(r"Python recognizes '([\w.]+)' as an importable package", proc.stdout + proc.stderr)
    assert not ignored, f"list these in pyproject.toml's packages: {ignored}"
    (wheel,) = tmp_path.glob("graphkit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = set()
    for p in _tracked("graphkit", "loaders"):
        expected.add(p)
    for p in _tracked("queries"):
        expected.add("graphkit/queries/" + p[len("queries/") :])
    missing = sorted(expected - names)
    assert not missing, f"{len(missing)} files not in the wheel, e.g. {missing[:5]}"
    cypher = sorted(n for n in names if n.endswith(".cypher"))
    tracked = sorted("graphkit/" + p for p in _tracked("queries") if p.endswith(".cypher"))
    assert len(cypher) == len(tracked) > 40
    assert cypher == tracked


def test_a_source_checkout_reads_its_own_queries_and_an_install_its_package_data(tmp_path):
    """The editable install maps ``graphkit.queries`` to the folder it was installed from, so a second checkout (a
    worktree, a clone run with PYTHONPATH) read the first one's Cypher silently: a checkout reads its own
    ``queries/``; an installed graphkit its package data, never an unrelated ``queries`` beside it in
    site-packages (PyPI has a package of that name)."""
    from importlib.resources import files

    import graphkit
    from graphkit.stores import base

    package = Path(str(files("graphkit.queries"))).resolve()
    if Path(graphkit.__file__).resolve().parents[1] == ROOT:  # this checkout's graphkit: its own queries
        assert base.QUERY_DIR == (ROOT / "queries").resolve()
        assert (base.QUERY_DIR / "collusion" / "bids.cypher").is_file()
    site = tmp_path / "site-packages"  # an install: graphkit beside another distribution's queries, no pyproject
    (site / "queries").mkdir(parents=True)
    (site / "queries" / "__init__.py").write_text("", encoding="utf-8")
    assert base._query_dir(site) == package
    other = tmp_path / "other"  # a checkout of another project with a queries package
    (other / "queries").mkdir(parents=True)
    (other / "queries" / "__init__.py").write_text("", encoding="utf-8")
    (other / "pyproject.toml").write_text('[project]\nname = "queries"\n', encoding="utf-8")
    assert base._query_dir(other) == package
    clone = tmp_path / "clone"  # another graphkit checkout: its own
    (clone / "queries").mkdir(parents=True)
    (clone / "queries" / "__init__.py").write_text("", encoding="utf-8")
    (clone / "pyproject.toml").write_text('[project]\nname = "graphkit"\n', encoding="utf-8")
    assert base._query_dir(clone) == (clone / "queries").resolve()


#: the notice setuptools gives on every editable install of a package laid out as this one (a finder maps
#: graphkit.queries to queries/), as pip 26 shows it: a warning the build backend emitted
EDITABLE_NOTICE = (
    "Editable installation.\n!!\n\n        " + "*" * 80 + "\n        Please be careful with folders in your working "
    "directory with the same\n        name as your package as they may take precedence during imports.\n"
)


def test_make_installs_editable_without_setuptools_english_notice_and_keeps_other_warnings():
    """`make demo` printed setuptools' notice "Editable installation. … Please be careful with folders in your
    working directory …" in English (pip shows a local build's warnings even under --quiet), nothing a user acts
    on: each editable install make runs (install, lab) filters that notice by its words, and no other warning."""
    done = subprocess.run(["make", "-n", "-B", "install", "lab"], cwd=ROOT, capture_output=True, text=True, check=True)
    installs = [line for line in done.stdout.splitlines() if "pip install" in line and " -e " in line]
    assert len(installs) == 2, done.stdout
    code = f"import warnings; warnings.warn({EDITABLE_NOTICE!r}, UserWarning); warnings.warn('another', UserWarning)"
    for line in installs:
        # the command as make runs it, python saying what the build backend says in place of pip
        run = re.match(r"(.*?)\S*/pip install", line).group(1) + f"{sys.executable} -c {shlex.quote(code)}"
        said = subprocess.run(["sh", "-c", run], capture_output=True, text=True, check=True).stderr
        assert "Please be careful" not in said and "UserWarning: another" in said, (line, said)
