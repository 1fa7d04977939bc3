"""Which files are notes: in a git work tree, what git ignores is not checked (as ruff does)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import findings, generated_config
from gitrepo import make_repo

DEFECT = "Here is the modified article with inserted backlinks:\n\nBody.\n"
FILES = {
    ".obsidian/app.json": "{}",
    ".gitignore": "node_modules/\nbuild/\n*.draft.md\n",
    "node_modules/pkg/README.md": DEFECT,
    "build/out.md": DEFECT,
    "notes/idea.draft.md": DEFECT,
    "notes/kept.md": DEFECT + "See [[out]] and [[idea.draft]].\n",
}


def test_git_ignored_notes_are_skipped_but_still_resolve(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", FILES)
    generated_config(tmp_path)  # an unresolved link would be an error
    # Ignored files are not committed: make_repo's `git add -A` left them out.
    assert findings(repo) == [("notes/kept.md", 1, "ED001")]  # [[out]] and [[idea.draft]] resolve


def test_no_respect_gitignore_checks_them(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", FILES)
    generated_config(tmp_path)  # an unresolved link would be an error
    assert sorted(findings(repo, "--no-respect-gitignore")) == [
        ("build/out.md", 1, "ED001"),
        ("node_modules/pkg/README.md", 1, "ED001"),
        ("notes/idea.draft.md", 1, "ED001"),
        ("notes/kept.md", 1, "ED001"),
    ]


def test_a_note_named_explicitly_is_checked(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", FILES)
    generated_config(tmp_path)  # an unresolved link would be an error
    assert findings(repo, "build/out.md") == [("build/out.md", 1, "ED001")]


def test_outside_git_a_gitignore_file_means_nothing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", FILES)
    generated_config(tmp_path)  # an unresolved link would be an error
    shutil.rmtree(repo / ".git")
    assert len(findings(repo)) == 4
