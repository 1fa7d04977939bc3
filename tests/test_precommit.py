"""The hooks of `.pre-commit-hooks.yaml`, run by the real pre-commit (`pre-commit run`).

The configuration is the README's own snippet, pointed at a snapshot of this work tree tagged
as a release is (`snapshot_repo`); pre-commit installs vaultbot from it into one environment for
the whole session (`pre_commit_home`) and passes only the staged notes.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import finish, generated_config, pre_commit_store, session_dir, snapshot_repo, start
from gitrepo import git, git_env, make_repo, write
from ruamel.yaml import YAML

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

Hook = Callable[..., subprocess.CompletedProcess[str]]

ROOT = Path(__file__).resolve().parents[1]
# A generated note (a yt-timestamp anchor): its editorial line has a safe fix.
FIXED = 'Body [[Target]] <a class="yt-timestamp" data-t="00:00:01">[00:00:01]</a>.\n'
DEFECT = "Here is the modified article with inserted backlinks:\n\n" + FIXED

pytestmark = pytest.mark.slow


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    generated_config(tmp_path)  # beside the repository: a missing link is an error
    return make_repo(
        tmp_path / "vault",
        {".obsidian/app.json": "{}", "Target.md": "# Target\n", "Old Name.md": "# Old\n"},
    )


def readme_config() -> dict[str, Any]:
    """The `.pre-commit-config.yaml` snippet of the README, as a user copies it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"In `\.pre-commit-config\.yaml`:\n\s*```yaml\n(.*?)```", readme, re.S)
    assert block is not None, "the README lost its pre-commit snippet"
    return YAML(typ="safe").load(textwrap.dedent(block.group(1)))


@functools.cache
def hook_config() -> Path:
    """The README's snippet with its address pointed at the local snapshot (and both hooks)."""
    config = readme_config()
    [entry] = config["repos"]
    entry["repo"] = str(snapshot_repo())
    entry["hooks"] = [{"id": "vaultbot"}, {"id": "vaultbot-fix"}]
    path = session_dir() / "pre-commit-config.yaml"
    YAML().dump(config, path)
    return path


def warm_up(fixtures: set[str]) -> None:
    """Install the hooks' environment in the background (conftest calls this after collection)."""
    if "hook" in fixtures:
        command = [sys.executable, "-m", "pre_commit", "install-hooks", "-c", str(hook_config())]
        env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_store())}
        start("pre-commit install-hooks", command, cwd=snapshot_repo(), env=env)


@pytest.fixture(scope="session")
def config_file() -> Path:
    """The configuration, once its hook environment is installed."""
    warm_up({"hook"})
    finish("pre-commit install-hooks")
    return hook_config()


def run_hook(
    vault: Path, home: Path, config: Path, hook: str, *files: str
) -> subprocess.CompletedProcess[str]:
    env = git_env(vault.parent)
    env["PRE_COMMIT_HOME"] = str(home)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    args = ["--files", *files] if files else ["--all-files"]
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "-c", str(config), hook, *args],
        cwd=vault, env=env, capture_output=True, text=True,
    )  # fmt: skip


@pytest.fixture
def hook(
    vault: Path, pre_commit_home: Path, config_file: Path
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`hook("vaultbot", "a.md", ...)`: run one hook in `vault` on the files named."""
    return lambda name, *files: run_hook(vault, pre_commit_home, config_file, name, *files)


def test_readme_snippet_names_this_release_and_the_canonical_address() -> None:
    from vaultbot import __version__
    from vaultbot.docs import HOMEPAGE

    [entry] = readme_config()["repos"]
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    assert entry["repo"] == urls["Homepage"] == HOMEPAGE
    assert entry["rev"] == f"v{__version__}"
    assert [h["id"] for h in entry["hooks"]] == ["vaultbot"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    owner_name = urls["Homepage"].removeprefix("https://github.com/")
    uses = re.findall(r"uses: (\S+)/vaultbot@(\S+)", readme)
    assert uses and all(f"{o}/vaultbot" == owner_name and r == f"v{__version__}" for o, r in uses)
    addresses = set(re.findall(r"https://github\.com/[\w.-]+/[\w.-]+", readme))
    assert addresses == {urls["Homepage"]}


def test_hooks_file_declares_both_hooks() -> None:
    hooks = {
        h["id"]: h for h in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    }
    assert set(hooks) == {"vaultbot", "vaultbot-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["markdown"]
        assert hook["require_serial"] is True
        assert hook["minimum_pre_commit_version"]


def test_check_hook_fails_on_a_defective_note(vault: Path, hook: Hook) -> None:
    write(vault, {"notes/bad note.md": DEFECT})
    git(vault, "add", "-A")
    done = hook("vaultbot", "notes/bad note.md")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "notes/bad note.md:1:1: ED001 [*] [editorial-line] error:" in done.stdout


def test_check_hook_passes_a_clean_note(vault: Path, hook: Hook) -> None:
    write(vault, {"clean.md": "Body [[Target]].\n"})
    git(vault, "add", "-A")
    done = hook("vaultbot", "clean.md")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_fix_hook_repairs_and_reports_modification(vault: Path, hook: Hook) -> None:
    write(vault, {"bad.md": DEFECT})
    git(vault, "add", "-A")
    done = hook("vaultbot-fix", "bad.md")
    assert done.returncode == 1
    assert "files were modified by this hook" in done.stdout
    assert (vault / "bad.md").read_text() == FIXED
    git(vault, "add", "-A")
    again = hook("vaultbot-fix", "bad.md")
    assert again.returncode == 0, again.stdout


def test_links_resolve_against_the_whole_vault_as_staged(vault: Path, hook: Hook) -> None:
    # A rename and a new note in the same commit: the old name no longer resolves, the new
    # note does, and notes that are not staged still count as targets.
    git(vault, "mv", "Old Name.md", "New Name.md")
    write(
        vault, {"fresh.md": "# Fresh\n", "a.md": "[[Old Name]] [[New Name]] [[fresh]] [[Target]]\n"}
    )
    git(vault, "add", "-A")
    done = hook("vaultbot", "a.md", "fresh.md", "New Name.md")
    assert done.returncode == 1
    findings = [line for line in done.stdout.splitlines() if ": LK001 " in line]
    assert findings == [
        "a.md:1:1: LK001 [link-target-missing] error: Link target 'Old Name' does not exist"
    ]


def test_deleted_target_does_not_resolve(vault: Path, hook: Hook) -> None:
    git(vault, "rm", "-q", "Target.md")
    write(vault, {"b.md": "[[Target]]\n"})
    git(vault, "add", "-A")
    done = hook("vaultbot", "b.md")
    assert done.returncode == 1
    assert "b.md:1:1: LK001" in done.stdout


def test_only_markdown_files_are_passed(vault: Path, hook: Hook) -> None:
    write(vault, {"data.txt": DEFECT})
    git(vault, "add", "-A")
    done = hook("vaultbot", "data.txt")
    assert done.returncode == 0
    assert "(no files to check)" in done.stdout


def test_batches_still_resolve_against_the_whole_vault(vault: Path, hook: Hook) -> None:
    # pre-commit passes at most 128 KiB of file names per run: 1,600 notes with long names are
    # split over two or more runs of the hook. Links between notes of different runs resolve,
    # and each run reports only the notes it was given.
    stem = "a-rather-long-note-name-about-the-history-of-printing-and-the-spread-of-ideas-number"
    names = [f"{stem}-{i:04d}.md" for i in range(1600)]
    files = {name: f"See [[{names[-1 - i][:-3]}]].\n" for i, name in enumerate(names)}
    files[names[0]] = DEFECT.replace("[[Target]]", f"[[{names[-1][:-3]}]]")
    write(vault, files)
    git(vault, "add", "-A")
    done = hook("vaultbot", *names)
    assert done.returncode == 1
    summaries = [line for line in done.stdout.splitlines() if " notes" in line and "." in line]
    counts = [int(n) for line in summaries for n in re.findall(r"(\d+) notes?\b", line)[-1:]]
    assert len(summaries) >= 2 and sum(counts) == 1600, summaries  # several runs, all notes
    findings = [
        line for line in done.stdout.splitlines() if ": ED001 " in line or ": LK001 " in line
    ]
    assert findings == [
        f"{names[0]}:1:1: ED001 [*] [editorial-line] error: Editorial line (the model presenting its edited text)"
    ]


def test_notes_whose_names_start_with_a_dash_are_notes_not_options(vault: Path, hook: Hook) -> None:
    """pre-commit appends the file names to the hook's command line as they are: a note at
    the top of the repository named `-h.md` was read as `-h` (the help, exit 0: the commit
    passed unchecked), `-lead.md` as the unknown option `-l`. The hooks end their arguments
    with `--`."""
    write(vault, {"-h.md": DEFECT, "-lead.md": DEFECT, "ok.md": DEFECT})
    git(vault, "add", "-A")
    done = hook("vaultbot")  # --all-files: pre-commit's own `--files` would take `-h.md` too
    assert done.returncode == 1, done.stdout + done.stderr
    for note in ("-h.md", "-lead.md", "ok.md"):
        assert f"{note}:1:1: ED001 [*] [editorial-line] error:" in done.stdout
    done = hook("vaultbot-fix")
    assert done.returncode == 1 and "files were modified by this hook" in done.stdout
    assert [(vault / n).read_text() for n in ("-h.md", "-lead.md", "ok.md")] == [FIXED] * 3


def test_notes_of_two_vaults_are_each_checked_in_their_own_vault(vault: Path, hook: Hook) -> None:
    """pre-commit passes the staged notes of every vault of the repository at once: the
    notes of the vault the first one lay in were checked, each of the others was refused as
    "not inside the vault root". A vault inside another is a folder of the outer one (as
    Obsidian opens it), and its own vault for its notes."""
    write(vault, {"Other/.obsidian/app.json": "{}", "Other/Only Other.md": "# Other\n"})
    write(vault, {"README.md": "[[Target]]\n", "a.md": "[[Only Other]]\n",
                  "Other/b.md": "[[Target]] [[Only Other]]\n"})  # fmt: skip
    git(vault, "add", "-A")
    done = hook("vaultbot", "Other/b.md", "a.md")
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if "LK001" in line or "error:" in line]
    assert lines == [
        "Other/b.md:1:1: LK001 [link-target-missing] error: Link target 'Target' does not exist"
    ], done.stdout
    assert "in 1 of 2 notes." in done.stdout
