"""What every command does alike, in one place (the click group of cli.py): `-h` and `--help`,
`--version` and `-v/--verbose` before or after the command's name, argument names that say what to
give (FILE, DIR, N) rather than Python types, and the one handler that turns a typed error into one
line and its exit code (errors.py), Ctrl-C into a line on resuming and 130, and a bug into a line
and 1 (with `-v`, the traceback too)."""
from __future__ import annotations

import traceback
from contextvars import ContextVar
from typing import Literal

import typer
from typer.core import TyperGroup

from .version import __version__
from .cache import Cache
from .errors import ClausescanError, ExitCode

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
VERBOSE_HELP = "Print each document's notes (a reader library's error) and, on an error, the traceback."

_verbose: ContextVar[bool] = ContextVar("verbose", default=False)
# the cache the command reads and writes: None for a command without one, False for --no-cache
_cache: ContextVar[Cache | Literal[False] | None] = ContextVar("cache", default=None)

# The names shown for the options' values in --help, by parameter name; any other takes its own
# name in capitals (typer would show the Python type, such as <list[Path]>).
METAVARS = {"output": "FILE", "json_path": "FILE", "csv_dir": "DIR", "csv_path": "FILE", "md": "FILE",
            "rules": "DIR", "cache_dir": "DIR", "baseline": "FILE", "workers": "N", "profile": "STATE",
            "time_limit": "SECONDS", "memory_limit": "MB", "ocr": "MODE", "fmt": "FORMAT", "rule_id": "RULE"}


def verbose() -> bool:
    return _verbose.get()


def uses_cache(cache):
    """Record the cache the command uses (for what Ctrl-C says) and return it."""
    _cache.set(cache if cache is not None else False)
    return cache


def print_version(value: bool) -> None:
    if value:
        typer.echo(f"clausescan {__version__}")
        raise typer.Exit()


def set_verbose(value: bool) -> None:
    if value:
        _verbose.set(True)


def interrupted_message() -> str:
    cache = _cache.get()
    if cache:
        return (f"Interrupted: the documents read so far are kept in the cache ({cache.root}); "
                "run the same command again to resume where it stopped.")
    if cache is False:
        return "Interrupted: nothing was written, and with --no-cache a re-run reads every document again."
    return "Interrupted: nothing was written."


def _named_values(command) -> None:
    for param in command.params:
        if param.metavar is None and not getattr(param, "is_flag", False):
            param.metavar = METAVARS.get(param.name, param.name.upper())
        if param.param_type_name == "argument":
            # typer (0.20 and later) prints an argument's Python type after its name, metavar or not
            param.display_type_rich = lambda ctx: None


def _pop_common(args: list[str]) -> tuple[list[str], bool, bool]:
    """The command's arguments without -v/--verbose and --version (up to a `--`), and whether each was given."""
    end = args.index("--") if "--" in args else len(args)
    head, tail = args[:end], args[end:]
    verbose_given = any(a in ("-v", "--verbose") for a in head)
    version_given = "--version" in head
    return [a for a in head if a not in ("-v", "--verbose", "--version")] + tail, verbose_given, version_given


class ConventionalGroup(TyperGroup):
    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is not None:
            _named_values(command)
        return command

    def make_context(self, info_name, args, parent=None, **extra):
        if parent is None:   # a new command line (CliRunner runs many in one process)
            _verbose.set(False)
            _cache.set(None)
        return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):
        ctx.args, verbose_given, version_given = _pop_common(list(ctx.args))
        print_version(version_given)
        set_verbose(verbose_given)
        try:
            return super().invoke(ctx)
        except ClausescanError as exc:
            _fail(f"Error: {exc}", exc, exc.exit_code)
        except KeyboardInterrupt as exc:
            _fail(interrupted_message(), exc, ExitCode.interrupted, trace=False)
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if _is_click_error(exc):   # a usage error found while parsing: click prints it, exit 2
                raise
            _fail(f"Error: clausescan stopped because of a bug ({type(exc).__name__}: {exc}); please report it "
                  "with the traceback that -v prints.", exc, ExitCode.internal)


def _is_click_error(exc: Exception) -> bool:
    # click's ClickException, whichever click typer uses (its own copy since typer 0.20)
    return any(cls.__name__ == "ClickException" for cls in type(exc).__mro__)


def _fail(message: str, exc: BaseException, code: int, trace: bool = True) -> None:
    if trace and verbose():
        typer.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)
    typer.echo(message, err=True)
    raise typer.Exit(int(code))
