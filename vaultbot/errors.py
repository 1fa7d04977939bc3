"""Errors shared across modules (kept here so that rules can raise them without cycles)."""

from __future__ import annotations


class ConfigError(Exception):
    """A bad configuration or rule selection; the message names the key."""
