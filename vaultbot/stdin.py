"""`check`/`fix` of a note read from standard input (`--stdin-filename NOTE.md -`), as editors
and scripts call linters: the note is treated as if saved at NOTE.md, its links resolve
against the vault around NOTE.md, and nothing is written."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from vaultbot import api
from vaultbot.config import discover, load
from vaultbot.engine import NoteReport, Report
from vaultbot.errors import ConfigError
from vaultbot.note import MAX_NOTE_BYTES, decode
from vaultbot.vault import Vault, find_root, rel_in


def vault_for(
    filename: Path,
    vault_root: Path | None,
    config_path: Path | None,
    rule_options: dict[str, dict[str, Any]],
) -> tuple[api.Vault, str]:
    """The vault around `filename` (its nearest existing folder upwards decides the root) and
    the note's path in it. Raise ConfigError for a bad config or a note outside the vault."""
    absolute = Path(os.path.abspath(filename))
    existing = next(f for f in absolute.parents if f.is_dir())
    root = (vault_root or find_root(existing)).resolve()
    rel = rel_in(root, absolute)
    if rel is None:
        raise ConfigError(f"{filename}: not inside the vault root {root}")
    config = load(config_path) if config_path else discover(root)
    for name, options in rule_options.items():
        config.rule_options[name] = {**config.rule_options.get(name, {}), **options}
    return api.Vault(Vault.scan(root), config), rel


def read(stream: BinaryIO, filename: Path) -> tuple[str, bool]:
    """The note's text (line endings kept) and whether it had a BOM; raise NoteError."""
    return decode(stream.read(MAX_NOTE_BYTES + 1), filename.as_posix())


def encode(text: str, bom: bool) -> bytes:
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def check(
    text: str, filename: Path, vault: api.Vault, rel: str, select: Sequence[str],
    ignore: Sequence[str],
) -> Report:  # fmt: skip
    """A report of one note, shown under the name it was given."""
    found = api.check_text(text, rel, vault, select, ignore)
    shown = filename.as_posix()
    return Report([NoteReport(rel, [r._replace(path=shown) for r in found])], planned=1)


def fix(
    text: str, filename: Path, vault: api.Vault, rel: str, select: Sequence[str],
    ignore: Sequence[str], unsafe: bool,
) -> tuple[str, Report]:  # fmt: skip
    """The fixed text, and a report of what was fixed and what remains."""
    fixed = api.fix_text(text, rel, vault, unsafe, select, ignore)
    shown = filename.as_posix()
    note = NoteReport(rel, [r._replace(path=shown) for r in fixed.remaining])
    note.fixed.update(fixed.fixed)
    return fixed.text, Report([note], planned=1)
