"""The Python API: lint and repair a note's text before it is written (e.g. an LLM's answer).

A thin layer over the engine: the same rules, suppressions and fix loop as the command line.

    vault = Vault.from_folder("my-vault")          # or Vault.from_names(["Topic A", "Topic B"])
    fixed = fix_text(answer, path="notes/new.md", vault=vault)
    problems = check_text(fixed.text, path="notes/new.md", vault=vault)
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vaultbot import vault as vaults
from vaultbot.config import Config, discover, ignored_in
from vaultbot.engine import Result, to_result
from vaultbot.fixes import fix_note
from vaultbot.lint import check_note
from vaultbot.note import Note
from vaultbot.profile import persons_note
from vaultbot.rules import Rule

__all__ = ["AppliedFix", "FixedText", "Result", "Vault", "check_text", "fix_text"]


@dataclass(frozen=True)
class Vault:
    """The notes that links resolve against, and the configuration that picks the rules."""

    index: vaults.Vault
    config: Config

    def __post_init__(self) -> None:
        self.index.profile_setting = self.config.profile  # the config's `profile` applies

    @classmethod
    def from_folder(cls, folder: str | os.PathLike[str]) -> Vault:
        """Every file under `folder` (Obsidian's rules: hidden folders are skipped), with the
        configuration found from `folder` upwards (`[tool.vaultbot]`, `vaultbot.toml`)."""
        root = Path(folder).resolve()
        if not root.is_dir():
            what = "not a folder" if root.exists() else "no such folder"
            raise NotADirectoryError(f"Vault.from_folder: {folder}: {what}")
        return cls(vaults.Vault.scan(root), discover(root))

    @classmethod
    def from_names(cls, names: Iterable[str]) -> Vault:
        """A vault of notes known by name or vault-relative path (`"Topic"`, `"dir/Topic.md"`,
        `"image.png"`), with the default configuration. No file is read, so no profile can be
        detected: a vault of names is a pipeline's list of topics, generated (every missing
        link reported, however many names)."""
        if isinstance(names, (str, bytes)):
            raise TypeError("Vault.from_names takes a list of names, not one string")
        files = [name if "." in name.rsplit("/", 1)[-1] else f"{name}.md" for name in names]
        index = vaults.Vault.from_files(Path("/nonexistent-vaultbot-vault"), files)
        return cls(index, Config(profile="generated"))

    def rules(
        self, rel: str, select: str | Sequence[str] = (), ignore: str | Sequence[str] = ()
    ) -> list[Rule]:
        """The rules run on the note `rel` (the config's `per-file-ignores` apply)."""
        off = ignored_in(rel, self.config.per_file_ignores)
        return [
            r
            for r in self.config.rules(_codes(select), _codes(ignore), ("select", "ignore"))
            if r.code not in off
        ]


@dataclass(frozen=True)
class AppliedFix:
    """A fix `fix_text` applied: the rule, the fix's title and its line in the given text."""

    code: str
    rule: str
    title: str
    line: int


@dataclass(frozen=True)
class FixedText:
    """What `fix_text` returns: the fixed text, the fixes applied (in the first pass over the
    given text; later passes fix what earlier fixes revealed and count in `fixed`), the
    number of fixes applied per rule code, and the findings left."""

    text: str
    fixes: list[AppliedFix]
    fixed: dict[str, int]
    remaining: list[Result]


def check_text(
    text: str,
    path: str | os.PathLike[str] = "note.md",
    vault: Vault | None = None,
    select: str | Sequence[str] = (),
    ignore: str | Sequence[str] = (),
) -> list[Result]:
    """The findings of a note whose text is `text`, as if it were saved at `path` (relative to
    the vault root) in `vault` (default: a vault of names holding only this note, see
    `Vault.from_names`). `select` and `ignore` take rule codes, names or code prefixes, as on
    the command line."""
    chosen, note = _setup(text, path, vault)
    return [
        to_result(note, f, os.fspath(path))
        for f in check_note(note, chosen.index, chosen.rules(note.rel, select, ignore))
    ]


def fix_text(
    text: str,
    path: str | os.PathLike[str] = "note.md",
    vault: Vault | None = None,
    unsafe: bool = False,
    select: str | Sequence[str] = (),
    ignore: str | Sequence[str] = (),
) -> FixedText:
    """Apply the safe fixes (and the unsafe ones with `unsafe`) to `text` until nothing more
    can be fixed; see `check_text` for the other arguments. Raise `vaultbot.fixes.FixError`
    when the fixes would change the note's meaning outside the edited text (a bug)."""
    chosen, note = _setup(text, path, vault)
    outcome = fix_note(note, chosen.index, chosen.rules(note.rel, select, ignore), unsafe)
    names = {f.rule.code: f.rule.name for f in outcome.initial}
    applied = [
        AppliedFix(code, names.get(code, ""), title, note.line_of(start))
        for code, start, title in outcome.applied
    ]
    remaining = [to_result(outcome.note, f, os.fspath(path)) for f in outcome.remaining]
    return FixedText(outcome.note.source, applied, dict(outcome.fixed), remaining)


def _setup(text: str, path: str | os.PathLike[str], vault: Vault | None) -> tuple[Vault, Note]:
    """The vault and the note for `check_text` / `fix_text`; raise TypeError or ValueError,
    naming the argument, for what they cannot take."""
    if not isinstance(text, str):
        hint = " (decode it first: data.decode('utf-8'))" if isinstance(text, bytes) else ""
        raise TypeError(f"text must be a str, not {type(text).__name__}{hint}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate: no UTF-8 note can hold it
        raise ValueError(
            f"text is not writable as UTF-8: {text[exc.start]!r} at offset {exc.start}"
        ) from None
    if vault is not None and not isinstance(vault, Vault):
        raise TypeError(
            f"vault must be a vaultbot.Vault (Vault.from_folder(...)), not {type(vault).__name__}"
        )
    chosen = vault or Vault.from_names([])
    rel = _note_path(path, chosen.index.root)
    if vault is None:
        chosen = Vault.from_names([rel])
    if rel not in chosen.index.files:  # a new note: it exists once written
        chosen = Vault(vaults.Vault.from_files(chosen.index.root, [*chosen.index.files, rel]),
                       chosen.config)  # fmt: skip
    note = Note(rel, text)
    note.own_fence = persons_note(note, chosen.index)  # a person's ```markdown note is a snippet
    return chosen, note


def _note_path(path: str | os.PathLike[str], root: Path) -> str:
    """`path` relative to the vault root, with `/` (an absolute path must lie in the vault);
    ValueError for an empty path or one that leaves the vault."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or a path, not {type(path).__name__}")
    given = os.fspath(path)
    if not isinstance(given, str) or not given:
        raise ValueError(f"path must name a note, not {given!r}")
    if os.path.isabs(given):
        inside = Path(os.path.abspath(given))
        try:
            given = inside.relative_to(root).as_posix()
        except ValueError:
            try:
                given = inside.relative_to(root.resolve()).as_posix()
            except ValueError:
                if root.is_dir():
                    raise ValueError(f"path {path!s} is outside the vault {root}") from None
                given = given.lstrip("/")  # a vault of names: the path is the vault's
    rel = posixpath.normpath(given.replace(os.sep, "/"))
    if rel == "." or rel == ".." or rel.startswith("../"):
        raise ValueError(f"path {path!s} is outside the vault {root}")
    return rel


def _codes(codes: str | Sequence[str]) -> list[str]:
    """Rule codes, names or prefixes, given as a list or as one comma-separated string."""
    if isinstance(codes, str):
        codes = [codes]
    return [part.strip() for code in codes for part in code.split(",") if part.strip()]
