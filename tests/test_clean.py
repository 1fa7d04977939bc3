"""`vaultbot clean`: the table, dry run, commit mode, interrupts and the HTML report."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import generated_config
from corpus_helpers import unavailable
from gitrepo import git, git_env, make_repo, write

from vaultbot import clean
from vaultbot.cli import main

ANCHOR = '<a class="yt-timestamp" data-t="{}">[{}]</a>'
NOTE = (
    "---\ntitle: T\nvideoId: abcdefghijk\n---\n\nFrom: [[channel]]\n\n"
    "Here is the modified article with inserted backlinks:\n\n"
    "Text " + ANCHOR.format("00:01:00", "00:01:00") + " and [[Nowhere]] and [00:02:00].\n"
)
FIXED = (
    "---\ntitle: T\nvideoId: abcdefghijk\n---\n\nFrom: [[channel]]\n\n"
    "Text " + ANCHOR.format("00:01:00", "00:01:00") + " and [[Nowhere]] and "
    + ANCHOR.format("00:02:00", "00:02:00") + ".\n"
)  # fmt: skip


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = make_repo(
        tmp_path / "vault",
        {".obsidian/app.json": "{}", "channel.md": "# C\n", "a.md": NOTE, "b.md": NOTE,
         "clean.md": "# Clean\n"},
    )  # fmt: skip
    monkeypatch.chdir(repo)
    monkeypatch.setenv("COLUMNS", "120")
    return repo


def rows(out: str) -> dict[str, list[str]]:
    """The summary table's rows by rule code: [name, found, fixed, left]."""
    table: dict[str, list[str]] = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if len(cells) == 5 and cells[0]:
            table[cells[0]] = cells[1:]
    return table


def test_table_counts_found_fixed_left(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", "."]) == 1  # fixed files, and findings remain
    out = capsys.readouterr().out
    table = rows(out)
    assert table["ED001"] == ["editorial-line", "2", "2", "0"]
    assert table["TS006"] == ["timestamp-bare", "2", "2", "0"]
    assert table["LK001"] == ["link-target-missing", "2", "0", "2"]
    assert table["total"] == ["", "6", "4", "2"]
    assert "Notes with the most findings left" in out
    assert (vault / "a.md").read_text() == FIXED


def test_dry_run_writes_nothing(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", ".", "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "dry run: nothing written" in out and "would fix" in out
    assert rows(out)["total"] == ["", "6", "4", "2"]
    assert (vault / "a.md").read_text() == NOTE
    assert git(vault, "status", "--porcelain") == ""


def test_progress_lines_when_not_a_terminal(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["clean", ".", "--dry-run"])
    err = capsys.readouterr().err
    assert "vaultbot: 4/4 notes processed" in err


def test_progress_bar_on_a_terminal(vault: Path, tmp_path: Path) -> None:
    # A real pseudo-terminal: rich draws its bar, and the table still follows.
    import pty

    script = Path(sys.executable).parent / "vaultbot"
    output = bytearray()

    def read(fd: int) -> bytes:
        data = os.read(fd, 4096)
        output.extend(data)
        return data

    env_before = dict(os.environ)
    try:
        os.environ["COLUMNS"] = "120"
        os.chdir(vault)
        status = pty.spawn([str(script), "clean", ".", "--dry-run"], read)
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output.decode("utf-8", errors="replace"))
    assert os.waitstatus_to_exitcode(status) == 1
    assert re.search(r"Cleaning.*\d/4 notes", text)  # the bar, with its count
    assert "notes processed" not in text  # not the plain lines
    assert "would fix" in text


def test_commit_on_a_new_branch(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(vault, {"untracked-but-ignored.md": NOTE})
    (vault / ".git" / "info" / "exclude").write_text("untracked-but-ignored.md\n")
    assert main(["clean", ".", "--commit", "--bot-name", "Cleaner", "--bot-email", "c@x.org"]) == 1
    assert "Committed " in capsys.readouterr().out
    today = dt.date.today().isoformat()
    assert git(vault, "branch", "--show-current") == f"vaultbot/cleanup-{today}"
    assert (
        git(vault, "log", "-1", "--format=%an <%ae>|%cn <%ce>")
        == "Cleaner <c@x.org>|Cleaner <c@x.org>"
    )
    committed = git(vault, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert committed == ["a.md", "b.md"]  # only the files it fixed; the ignored note is not added
    message = git(vault, "log", "-1", "--format=%B")
    assert message.startswith("vaultbot: fix 4 issues in 2 notes")  # what the commit holds
    assert "- ED001: 2" in message and "- TS006: 2" in message
    assert (vault / "untracked-but-ignored.md").read_text() == NOTE  # git ignores it: skipped
    assert git(vault, "rev-list", "--count", "main") == "1"  # main untouched; nothing pushed
    assert git(vault, "remote") == ""


@pytest.mark.parametrize(
    "name", ["untracked-but-ignored.md", "ignored café ノート.md", 'say "hi".md', "tab\tname.md"]
)  # names git quotes, too
def test_ignored_note_fixed_in_place_but_never_committed(vault: Path, name: str) -> None:
    write(vault, {name: NOTE})
    (vault / ".git" / "info" / "exclude").write_text(f"{name}\n", encoding="utf-8")
    assert main(["clean", ".", "--commit", "--no-respect-gitignore"]) == 1
    assert "Here is" not in (vault / name).read_text()  # fixed in place
    committed = git(vault, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert committed == ["a.md", "b.md"]


def test_commit_with_a_named_branch(vault: Path) -> None:
    assert main(["clean", ".", "--commit", "--branch", "tidy"]) == 1
    assert git(vault, "branch", "--show-current") == "tidy"


def test_commit_refuses_a_dirty_tree(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (vault / "clean.md").write_text("# Clean, edited\n")
    assert main(["clean", ".", "--commit"]) == 2
    assert "uncommitted changes" in capsys.readouterr().err
    assert (vault / "a.md").read_text() == NOTE  # nothing was fixed either
    assert git(vault, "branch", "--show-current") == "main"
    assert main(["clean", ".", "--commit", "--allow-dirty"]) == 1
    committed = git(vault, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert committed == ["a.md", "b.md"]  # the user's edit of clean.md is not committed
    assert git(vault, "status", "--porcelain") == "M clean.md"


def test_branch_name() -> None:
    assert clean.branch_name(dt.date(2026, 11, 26)) == "vaultbot/cleanup-2026-11-26"


def test_interrupt_leaves_every_note_old_or_new(tmp_path: Path) -> None:
    # A real Ctrl-C (SIGINT) to a real `vaultbot clean` run over a vault big enough to take a
    # while: afterwards every note is byte-for-byte either the old or the fully fixed text.
    root = tmp_path / "big"
    (root / ".obsidian").mkdir(parents=True)
    filler = ("A paragraph of ordinary prose about the episode. " * 40 + "\n\n") * 20
    for i in range(3000):
        (root / f"n{i:04d}.md").write_text(NOTE + filler)
    env = {
        **git_env(tmp_path),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "vaultbot"), "clean", "."],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until some notes are fixed, then interrupt
        time.sleep(0.05)
        if any(p.read_text().count("Here is") == 0 for p in list(root.glob("n00*.md"))[:50]):
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    fixed_text = FIXED + filler
    states = {"old": 0, "new": 0}
    for path in root.glob("n*.md"):
        text = path.read_text()
        assert text in (NOTE + filler, fixed_text), path.name
        states["old" if text == NOTE + filler else "new"] += 1
    assert not list(root.glob(".*.vaultbot.tmp"))  # no temporary file left behind
    if proc.returncode == 130:  # interrupted before the end: it says how far it got
        assert "Interrupted after" in out and "of 3000 notes" in out
        assert states["new"] >= 1
    else:  # the run finished first on a fast machine
        assert states == {"old": 0, "new": 3000}, (proc.returncode, err[-500:])


# -- the HTML report --------------------------------------------------------------------------


def test_report_is_self_contained(vault: Path) -> None:
    report = vault.parent / "report.html"
    main(["clean", ".", "--dry-run", "--report", str(report)])
    text = report.read_text()
    assert "<script" not in text and "http://" not in text.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "https://" not in text
    assert 'id="found-count">6<' in text and 'id="fixed-count">4<' in text
    assert "Most-linked missing targets" in text and '<td>Nowhere</td><td class="n">2</td>' in text
    assert "Delete the editorial line" in text  # each finding with the fix applied


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium (`.ci/run` installs it). Missing, the test fails in CI and is skipped
    elsewhere."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        unavailable("chromium is not installed (`apt-get install chromium`; .ci/run does it)")
    return found


@pytest.mark.slow
def test_report_in_a_real_browser(vault: Path, tmp_path: Path, chromium: str) -> None:
    report = tmp_path / "report.html"
    main(["clean", ".", "--report", str(report)])
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr",
         "--v=0", "--dump-dom", report.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert 'id="found-count">6<' in dom and 'id="fixed-count">4<' in dom
    assert 'id="left-count">2<' in dom and "<svg" in dom
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console


def test_a_folder_of_vaults_is_not_cleaned_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`vaultbot clean` run in a folder holding several vaults (a home folder) would take them
    as one vault: a link in one would be relinked to a note of another, which Obsidian never
    shows it (`check` reports the link missing). One error line names the vaults; nothing is
    written."""
    home = tmp_path / "home"
    for rel, text in {
        "Notes/.obsidian/app.json": "{}",
        "Notes/missing_note.md": "x\n",
        "Work/.obsidian/app.json": "{}",
        "Work/c.md": "See [[Missing Note]].\n",
    }.items():
        (home / rel).parent.mkdir(parents=True, exist_ok=True)
        (home / rel).write_text(text, encoding="utf-8")
    generated_config(tmp_path)  # a link to a note not written is a missing link
    monkeypatch.chdir(home)
    assert main(["clean"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "vaultbot: error: .: holds vaults of its own (Notes, Work); clean each on its own "
        "(`vaultbot clean Notes`), or add them to `exclude`\n"
    )
    assert (home / "Work/c.md").read_text(encoding="utf-8") == "See [[Missing Note]].\n"
    # Each vault on its own is cleaned, with its own links.
    assert main(["clean", "--dry-run", "Work"]) == 1
    assert "Missing Note" in capsys.readouterr().out


def test_a_vault_that_does_not_exist_is_one_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`vaultbot clean nope` says the folder does not exist, exit 2: no empty summary table,
    no 'Fixed 0 issues', no second line saying the same."""
    monkeypatch.chdir(tmp_path)
    assert main(["clean", "nope"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "'nope' does not exist" in err
    assert err.count("nope") == 1


@pytest.mark.parametrize(
    "command", [["fix", "--commit"], ["clean", "--commit"], ["clean", "--commit", "--allow-dirty"]]
)
def test_commit_in_a_repository_with_no_commit_yet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """A first run in a fresh `git init`: `--commit` stops before writing, one line, exit 2
    (fix wrote every note, left them staged and ended in a traceback; clean with
    --allow-dirty ended in one)."""
    repo = tmp_path / "vault"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write(repo, {".obsidian/app.json": "{}", "a.md": NOTE, "channel.md": "# C\n"})
    if "--allow-dirty" not in command:
        git(repo, "add", "-A")  # a clean work tree, still with no commit
    with pytest.MonkeyPatch.context() as m:
        m.chdir(repo)
        m.setenv("HOME", str(tmp_path))
        assert main(command) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"vaultbot: error: {repo}: the repository has no commit yet; commit the vault first, "
        "then use --commit\n"
    )
    assert (repo / "a.md").read_text(encoding="utf-8") == NOTE
    staged = git(repo, "diff", "--cached", "--name-only")
    assert staged == ("" if "--allow-dirty" in command else ".obsidian/app.json\na.md\nchannel.md")
