"""Errors shared across modules (kept here so that rules can raise them without cycles)."""

from __future__ import annotations


class ConfigError(Exception):
    """A bad configuration or rule selection; the message names the key."""


class GitError(Exception):
    """A git problem the user can act on; the message says how."""
