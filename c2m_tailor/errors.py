"""Errors a user can cause, each mapped to the exit code of the CLI contract.

Library code raises these; only the CLI turns them into a message and an exit code.
Exit codes: 0 ok, 2 usage, 3 bad input, 4 validation failed, 5 some batch items failed,
1 internal error.
"""

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_BAD_INPUT = 3
EXIT_VALIDATION = 4
EXIT_BATCH_PARTIAL = 5


class C2MError(Exception):
    """Base of every error that is the user's input, not our bug. The message is one sentence."""

    exit_code = EXIT_BAD_INPUT


class BadInput(C2MError):
    """Input that cannot be used: unreadable file, absurd value, malformed job, tampered package."""

    exit_code = EXIT_BAD_INPUT


class UsageError(C2MError):
    """Arguments that do not fit together (the command line itself is wrong)."""

    exit_code = EXIT_USAGE


class ValidationFailed(C2MError):
    """The job is readable but what it describes fails a check (pattern validation)."""

    exit_code = EXIT_VALIDATION
