"""Severities, most severe first (a module of its own so the CLI can name them at startup
without importing the rules)."""

from __future__ import annotations

SEVERITIES = ("error", "warning", "info")
