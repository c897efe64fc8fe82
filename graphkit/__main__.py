"""``python -m graphkit …``: the same command line as the ``graphkit`` script (for a venv whose scripts folder is
not on the PATH, or to be sure which interpreter runs it)."""

from graphkit.cli import main

if __name__ == "__main__":
    main(prog_name="graphkit")
