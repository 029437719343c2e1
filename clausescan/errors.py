"""Typed errors, each with the exit code it maps to and a message that says how to fix it."""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0                 # every file was read
    files_unreadable = 3   # the scan finished, but some files or pages could not be read
    usage = 2              # bad arguments, missing paths, invalid rules
    internal = 1           # a bug in clausescan
    rule_examples_failed = 4   # `rules test`: an example is not read as its rule file says
    interrupted = 130      # Ctrl-C: the shell's code for a command stopped by SIGINT (128 + 2)


class ClausescanError(Exception):
    exit_code = ExitCode.internal


class UsageError(ClausescanError):
    exit_code = ExitCode.usage


class InvalidFiles(UsageError):
    """Files of the rule library or of a profile that are invalid, every problem on its own line."""
    what = "files"

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"invalid {self.what}:\n  " + "\n  ".join(problems))


class RuleError(InvalidFiles):
    """A rule file is invalid; the message names the file, the rule and the key."""
    what = "rules"


class ProfileError(InvalidFiles):
    """A profile file is invalid; the message names the file and the key."""
    what = "state law profile"


class PhraseError(ValueError):
    """A rule phrase that cannot compile; the loader turns it into a RuleError naming the file."""


class InputError(ClausescanError):
    """A single input cannot be read. Caught per document: it becomes an error row, never a crash."""
    exit_code = ExitCode.files_unreadable


class ClusterError(UsageError):
    """The Dask cluster cannot be used: dask is not installed, or the scheduler cannot be reached."""


class ReviewsError(UsageError):
    """The reviews file is invalid; the message names the file, the review and the key."""


class NothingToScan(UsageError):
    """No file to read was found under the paths given: an empty scan writes nothing."""
