"""The project's own exceptions; their messages are French because users read them."""
from __future__ import annotations


class AssistantError(Exception):
    """Base class: `str(err)` is a French message fit for a user; `exit_code` for the CLI."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(AssistantError):
    """The user's input is unusable (empty question, unreadable question file...)."""

    exit_code = 2


class IndexMissingError(AssistantError):
    """No index has been built in the given directory."""

    exit_code = 3


class IndexCorruptError(AssistantError):
    """The index on disk is damaged or inconsistent."""

    exit_code = 3


class EmbedderMismatchError(AssistantError):
    """The index was built with another embedder than the one asked for."""

    exit_code = 3


class DependencyError(AssistantError):
    """An optional dependency is missing; the message says what to install."""

    exit_code = 4


class DocumentError(AssistantError):
    """A document could not be read; the message gives the reason."""

    exit_code = 2


class CorpusError(AssistantError):
    """The bundled corpus is missing or malformed."""

    exit_code = 3


class AccessError(AssistantError):
    """A folder or file cannot be read or written (permissions, a file where a folder is expected, disk full)."""

    exit_code = 5


class DataLossError(AssistantError):
    """The operation would lose documents the user added; nothing was changed."""

    exit_code = 6


# Exit status of an unexpected internal error (a bug): distinct from 1, which means "files skipped".
INTERNAL_ERROR_EXIT = 70
