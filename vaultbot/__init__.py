"""vaultbot: a linter and maintenance bot for Obsidian vaults.

The Python API (see `vaultbot.api`): `check_text`, `fix_text` and `Vault`, imported on first
use so that the command line starts without loading the rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from vaultbot.api import AppliedFix, FixedText, Result, Vault, check_text, fix_text

__all__ = ["AppliedFix", "FixedText", "Result", "Vault", "__version__", "check_text", "fix_text"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from vaultbot import api

        return getattr(api, name)
    raise AttributeError(f"module 'vaultbot' has no attribute {name!r}")
