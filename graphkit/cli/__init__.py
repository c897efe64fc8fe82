"""The ``graphkit`` command line: one module per topic, registered on :data:`main`.

==================  ==============================================================
module              commands
==================  ==============================================================
``cli.load``        ``synth``, ``load``, ``stats``, ``model docs``
``cli.explore``     ``find``, ``neighbours``, ``path``
``cli.rules``       ``models list|run``, ``warnings list|show|update``
``cli.collusion``   ``collusion score|train|score-bids``
``cli.risk``        ``rank``, ``portrait``
``cli.demo``        ``demo``
``cli.export``      ``export`` (case files)
``cli.audit``       ``audit show|verify``; what investigating commands share: ``--by``, ``--purpose``,
                    ``--unmask --reason``, the viewer role, the audit record
==================  ==============================================================

Every command takes ``--store`` as a store spec parsed by :class:`graphkit.stores.StoreSpec`
(:mod:`graphkit.cli.common` holds what the modules share).
"""

from __future__ import annotations

import errno
import logging
import os
import sys

import click
from tqdm import tqdm

from graphkit import progress
from graphkit.cli import audit, collusion, common, demo, explore, export, lab, load, risk, rules, words

# tqdm's monitor thread (it re-tunes a bar's refresh after 10 s) races with bars opened and closed in other threads:
# "RuntimeError: Set changed size during iteration" in thread tqdm_monitor (tqdm/tqdm#481; the maintainers'
# workaround is this setting); the bars here refresh by time anyway
tqdm.monitor_interval = 0

__all__ = ["main"]


def _umask(ctx: click.Context, param: click.Parameter, value: str) -> int:
    try:
        mask = int(value, 8)
    except ValueError:
        mask = -1
    if not 0 <= mask <= 0o777:
        raise click.BadParameter(
            common.said(
                f"{value!r} is not an octal umask such as 077 or 022",
                f"{value!r} 不是八进制的权限掩码：写 077（仅本人可读）或 022（所有人可读）",
            )
        )
    return mask


class Console(click.Group):
    """The ``graphkit`` group: a command line answers in the language it asks for (:func:`common.lang_of`: its
    ``--lang``, else ``GRAPHKIT_LANG``, else Chinese), click's own words too (:mod:`graphkit.cli.words`), every
    command's ``--help`` (:mod:`graphkit.cli.helpwords`, through :class:`words.Context`) and the progress bars
    (:func:`progress.speaking`)."""

    #: the group the commands' paths start under (:meth:`words.Context.make_formatter`)
    console_root = True

    def main(self, args=None, *posargs, **kwargs):
        argv = list(sys.argv[1:] if args is None else args)
        lang = common.lang_of(argv, os.environ.get(common.LANG_ENV))
        before = common._CONSOLE_LANG[0]
        common._CONSOLE_LANG[0] = lang
        try:
            with words.installed(lang), progress.speaking(lang):
                return super().main(argv, *posargs, **kwargs)
        finally:
            common._CONSOLE_LANG[0] = before

    def invoke(self, ctx: click.Context):
        """A store that stops answering in the middle of a command (``NEO4J_QUERY_TIMEOUT``), or that was lost
        after it was opened, is one sentence and exit code 1, as when it cannot be opened, not a traceback.

        Ctrl-C is one line saying what the command kept and what not (:func:`common.if_interrupted`: the store as
        it was, the quarantine and the audit record written whole or not at all) and exit code 130
        (:data:`common.INTERRUPTED`), where click said 已中止。 with exit code 1 and, when the interrupt came
        while a store or a thread was being closed, a traceback."""
        from graphkit.stores import StoreUnavailable

        try:
            return super().invoke(ctx)
        except StoreUnavailable as exc:
            raise click.ClickException(common.refused(exc)) from exc
        except OSError as exc:  # a file the command writes: the disk full, no right to write there, a folder in the way
            if exc.filename is None or exc.errno in (None, errno.EPIPE):
                raise
            raise click.ClickException(
                common.said(f"{exc.filename}: {exc.strerror}", f"{exc.filename}：{common.os_why(exc)}")
            ) from exc
        except KeyboardInterrupt:
            with tqdm.external_write_mode():  # a bar still on the line is cleared first
                click.echo(file=sys.stderr)  # the terminal's ^C is left on a line of its own
                click.echo(common.interrupted_line(ctx), err=True)
            raise click.exceptions.Exit(common.INTERRUPTED) from None


@click.group(cls=Console, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More logging (-v info, -vv debug).")
@click.option(
    "--umask",
    default="077",
    show_default=True,
    callback=_umask,
    help="Permissions of the files and folders written (stores, ledgers, quarantine, reports, exports): "
    "077 makes them readable by you only (files 0600, folders 0700); 022 makes them readable by all.",
)
@click.option(
    "--read-only",
    is_flag=True,
    help="Viewer role (also GRAPHKIT_ROLE=viewer): stores opened read-only; no load, ledger change or --unmask.",
)
@click.pass_context
def main(ctx: click.Context, verbose: int, umask: int, read_only: bool) -> None:
    """Graph-native investigation workbench for supervision (数据碰撞)."""
    os.umask(umask)  # the files hold ID numbers, phones and accounts in clear
    audit.set_read_only(ctx, read_only)
    logging.basicConfig(
        level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
        format="%(levelname)s %(name)s: %(message)s",
    )
    # log records and warnings clear a running progress bar first (never written after it on its line)
    ctx.with_resource(progress.console())


def _in_words(cmd: click.Command) -> None:
    """Every command's --help through :class:`words.Context` (its help and its options' said in Chinese); a command
    or group without a ``--lang`` of its own takes one all the same (hidden: the console's language is read from the
    line before click parses it, :func:`common.lang_of`), so ``graphkit lab --lang en --help`` reads English where it
    was refused as an unknown option."""
    cmd.context_class = words.Context
    if not any(p.name == "lang" for p in cmd.params):
        from graphkit.rules.words import LANGS

        cmd.params.append(click.Option(["--lang"], type=click.Choice(LANGS), hidden=True, expose_value=False))
    for sub in getattr(cmd, "commands", {}).values():
        _in_words(sub)


_in_words(main)
for _module in (load, explore, rules, collusion, risk, demo, export, audit, lab):
    for _cmd in _module.COMMANDS:
        _in_words(_cmd)
        main.add_command(_cmd)

if __name__ == "__main__":  # pragma: no cover
    main()
