"""vaultbot: a linter and maintenance bot for Obsidian vaults."""

__version__ = "0.1.0"
