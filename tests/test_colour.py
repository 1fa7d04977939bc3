"""Colour like every other CLI: a terminal (a real pseudo-terminal), a pipe and a file (`-o`),
each under NO_COLOR, FORCE_COLOR and `--color`."""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import VaultFactory, run

from vaultbot.output import colour
from vaultbot.output.diff import colour as coloured_diff

ROOT = Path(__file__).resolve().parents[1]
VAULTBOT = [sys.executable, "-m", "vaultbot"]
ESC = "\x1b["
ENVS = {
    "plain": {},
    "NO_COLOR": {"NO_COLOR": "1"},
    "FORCE_COLOR": {"FORCE_COLOR": "1"},
    "both": {"NO_COLOR": "1", "FORCE_COLOR": "1"},
}
FLAGS = {"auto": [], "always": ["--color", "always"], "never": ["--color", "never"]}


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"COLUMNS": "120", "TERM": "xterm-256color", **extra})
    env.pop("GITHUB_ACTIONS", None)
    return env


def on_terminal(cwd: Path, args: list[str], env: dict[str, str]) -> str:
    """Run vaultbot with stdout and stderr on a pseudo-terminal; return what it wrote."""
    master, slave = os.openpty()
    proc = subprocess.Popen([*VAULTBOT, *args], cwd=cwd, env=_env(env), stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave)  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError as exc:  # EIO: the child closed the terminal
            if exc.errno != errno.EIO:
                raise
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    proc.wait()
    return b"".join(chunks).decode("utf-8", errors="replace")


def on_pipe(cwd: Path, args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([*VAULTBOT, *args], cwd=cwd, env=_env(env), capture_output=True,
                          text=True, check=False)  # fmt: skip
    return done.stdout + done.stderr


def expected(where: str, env: str, flag: str) -> bool:
    if flag != "auto":
        return flag == "always"
    if "NO_COLOR" in ENVS[env]:
        return False
    return "FORCE_COLOR" in ENVS[env] or where == "terminal"


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("colour") / "vault"
    shutil.copytree(ROOT / "examples" / "vault", root)
    return root


@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("where", ["terminal", "pipe", "file"])
def test_check_colour_matrix(vault: Path, where: str, env: str, flag: str) -> None:
    args = ["check", "--no-cache", *FLAGS[flag]]
    if where == "file":
        report = vault.parent / f"report-{env}-{flag}.txt"
        on_pipe(vault, [*args, "-o", str(report)], ENVS[env])
        text = report.read_text(encoding="utf-8")
    else:
        text = (on_terminal if where == "terminal" else on_pipe)(vault, args, ENVS[env])
    assert "Found 25 findings" in text.replace(f"{ESC}0m", "")
    assert (ESC in text) == expected(where, env, flag), text[:300]


@pytest.mark.parametrize("env", ["plain", "NO_COLOR", "FORCE_COLOR"])
@pytest.mark.parametrize("where", ["terminal", "pipe"])
def test_fix_diff_colours_the_changed_words(vault: Path, where: str, env: str) -> None:
    text = (on_terminal if where == "terminal" else on_pipe)(vault, ["fix", "--diff"], ENVS[env])
    if not expected(where, env, "auto"):
        assert ESC not in text
        return
    # The editorial line is removed whole; in a changed line only the changed words stand out.
    emphasis = f"{ESC}31m{ESC}1m{ESC}7m"  # red, bold, reverse
    changed = [line for line in text.splitlines() if emphasis in line]
    assert changed, text[:500]
    assert any("data-t" in line and line.count(emphasis) <= 3 for line in changed)
    # TS002 sets data-t 00:04:30 to the label 00:42:30: only the minutes stand out.
    assert f'data-t="00:{ESC}0m{ESC}32m{ESC}1m{ESC}7m42{ESC}0m{ESC}32m:30"' in text


def test_fix_diff_on_a_pipe_is_a_patch(vault: Path, tmp_path: Path) -> None:
    work = tmp_path / "v"
    shutil.copytree(vault, work)
    patch = on_pipe(work, ["fix", "--diff", "--color", "never"], {})
    patch = patch[: patch.index("Would fix")]
    subprocess.run(["git", "apply", "-p1", "-"], cwd=work, input=patch, text=True, check=True)
    done = on_pipe(work, ["fix", "--diff"], {})
    assert done.startswith("Would fix 0 issues")  # the patch held every safe fix


@pytest.mark.parametrize("env", ["plain", "NO_COLOR", "FORCE_COLOR"])
@pytest.mark.parametrize("where", ["terminal", "pipe"])
def test_clean_table_colour(vault: Path, tmp_path: Path, where: str, env: str) -> None:
    text = (on_terminal if where == "terminal" else on_pipe)(
        vault, ["clean", "--dry-run"], ENVS[env]
    )
    table = text[text.index("vaultbot clean") :]
    assert (ESC in table) == expected(where, env, "auto")


@pytest.mark.parametrize("where", ["terminal", "pipe"])
def test_explain_is_rendered_in_a_terminal_and_raw_when_piped(vault: Path, where: str) -> None:
    text = (on_terminal if where == "terminal" else on_pipe)(vault, ["explain", "TS002"], {})
    if where == "pipe":
        assert text.startswith("# timestamp-mismatch (TS002)\n")
        assert ESC not in text
    else:
        assert "# timestamp-mismatch" not in text  # rendered: no Markdown markers
        assert "timestamp-mismatch (TS002)" in text and ESC in text
    no_colour = on_terminal(vault, ["explain", "TS002"], {"NO_COLOR": "1"})
    assert ESC not in no_colour.replace(f"{ESC}?25l", "").replace(f"{ESC}?25h", "")


# -- in this process: the decision, the console, the coloured diff ----------------------------


class Stream(io.StringIO):
    """A stream that is a terminal or not, or closed (its `isatty` then raises)."""

    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        super().isatty()  # ValueError once closed
        return self.tty


@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("where", ["terminal", "pipe", "file", "closed"])
def test_enabled_decides_as_the_matrix_says(
    monkeypatch: pytest.MonkeyPatch, where: str, env: str, flag: str
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in ENVS[env].items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(colour, "_choice", colour._choice)  # restored afterwards
    colour.choose(flag)
    stream = None if where == "file" else Stream(tty=where != "pipe")
    if where == "closed":
        stream.close()  # type: ignore[union-attr]
    assert colour.enabled(stream) == expected("pipe" if where == "closed" else where, env, flag)


@pytest.mark.parametrize(
    ("choice", "env", "tty", "coloured"),
    [
        ("always", {}, False, True),  # even off a terminal
        ("always", {"NO_COLOR": "1"}, False, True),  # the flag wins over the environment
        ("never", {"FORCE_COLOR": "1"}, True, False),
        ("auto", {}, True, True),
        ("auto", {}, False, False),
    ],
)
def test_console_colours_exactly_when_enabled(
    monkeypatch: pytest.MonkeyPatch, choice: str, env: dict[str, str], tty: bool, coloured: bool
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(colour, "_choice", choice)
    stream = Stream(tty=tty)
    console = colour.console(stream, width=12)  # options reach the console
    console.print("[bold red]alarm[/] and more words")
    if coloured:  # the 16 standard colours
        assert stream.getvalue() == "\x1b[1;31malarm\x1b[0m and \nmore words\n"
    else:
        assert stream.getvalue() == "alarm and \nmore words\n"
    assert colour.strip("\x1b[1;31malarm\x1b[0m and") == "alarm and"  # noqa: B005 (not str.strip)


def sgr(text: str, *codes: int) -> str:
    return "".join(f"{ESC}{code}m" for code in codes) + text + f"{ESC}0m"


def test_fix_diff_colours_lines_and_changed_words_in_process(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    note = (
        "---\ntitle: T\nvideoId: abcdefghijk\n---\n\n"
        "Here is the modified article with inserted backlinks:\n\n"  # ED001: removed whole
        "Intro \a.\n\nSee [[ok|]] and \x1b more.\n"  # LK002: one character removed
    )
    vault = make_vault({"n.md": note, "ok.md": "x\n"})
    code, out, _ = run(vault, capsys, "fix", "--diff", "--color", "always")
    assert code == 1
    red, green = 31, 32
    assert out.splitlines() == [
        sgr("--- a/n.md", 1),
        sgr("+++ b/n.md", 1),
        sgr("@@ -3,8 +3,6 @@", 36),
        " videoId: abcdefghijk",
        " ---",
        " ",
        sgr("-Here is the modified article with inserted backlinks:", red),
        sgr("-", red),
        " Intro ␇.",  # control characters made visible, in context lines too
        " ",
        sgr("-", red) + sgr("See [[ok", red) + sgr("|", red, 1, 7) + sgr("]] and ␛ more.", red),
        sgr("+", green) + sgr("See [[ok", green) + sgr("]] and ␛ more.", green),
        "Would fix 2 issues in 1 note; 0 remaining.",
    ]


def test_diff_colours_added_lines_beyond_the_pairs_and_to_the_end() -> None:
    # Hand-made: vaultbot's fixes today never add a line, but a diff may (and may end on one).
    diff = "@@ -1,2 +1,3 @@\n-old text\n+new text\n+added\n x\n+inserted"
    assert coloured_diff(diff).split("\n") == [
        sgr("@@ -1,2 +1,3 @@", 36),
        sgr("-", 31) + sgr("old", 31, 1, 7) + sgr(" text", 31),
        sgr("+", 32) + sgr("new", 32, 1, 7) + sgr(" text", 32),
        sgr("+added", 32),
        " x",
        sgr("+inserted", 32),
    ]


def test_diff_runs_stop_at_the_next_file_and_at_the_end() -> None:
    diff = "--- a/a.md\n+++ b/a.md\n@@ -1 +1 @@\n-old\n--- a/b.md\n+++ b/b.md\n@@ -1 +1 @@\n-gone now\n+kept now"
    assert coloured_diff(diff).split("\n") == [
        sgr("--- a/a.md", 1),
        sgr("+++ b/a.md", 1),
        sgr("@@ -1 +1 @@", 36),
        sgr("-old", 31),  # a removed line, not paired with the next file's header
        sgr("--- a/b.md", 1),
        sgr("+++ b/b.md", 1),
        sgr("@@ -1 +1 @@", 36),
        sgr("-", 31) + sgr("gone", 31, 1, 7) + sgr(" now", 31),
        sgr("+", 32) + sgr("kept", 32, 1, 7) + sgr(" now", 32),
    ]


def test_diff_shows_a_changed_line_beside_the_line_it_became_not_beside_its_neighbour() -> None:
    # An editorial line deleted right above a link whose fix removes one character; a line
    # replaced by an unrelated one is shown plain (all of it changed).
    diff = (
        "@@ -1,3 +1,2 @@\n-Here is the edited text:\n-See [[ok|]] and more.\n"
        "+See [[ok]] and more.\n-one\n+two"
    )
    assert coloured_diff(diff).split("\n") == [
        sgr("@@ -1,3 +1,2 @@", 36),
        sgr("-Here is the edited text:", 31),
        sgr("-", 31) + sgr("See [[ok", 31) + sgr("|", 31, 1, 7) + sgr("]] and more.", 31),
        sgr("+", 32) + sgr("See [[ok", 32) + sgr("]] and more.", 32),
        sgr("-one", 31),
        sgr("+two", 32),
    ]
