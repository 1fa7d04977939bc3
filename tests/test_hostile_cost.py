"""Hostile input costs linear time and memory (issue 10): every shape of
`benchmarks/scaling.py` runs through the real CLI, `check` and `fix`, in a child process
under a memory cap and a generous hang guard. Before the fix each of them took minutes, or
gigabytes, at these sizes. Speed itself is measured in the benchmark, not here.

Special files (a FIFO, a device, a huge sparse note) are read never, or never past the limit.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import VaultFactory, generated_config

from vaultbot.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import scaling

#: Address space a child may use. A normal run of vaultbot on a one-note vault needs a few
#: hundred MB of address space (the interpreter, pyromark, ruamel.yaml); before the fix these
#: shapes needed 3 to 10 GB.
MEMORY_CAP = 1024 * 2**20
#: A hang guard, not a speed assertion: each run takes a second or so now, minutes before.
HANG_GUARD = 120
#: The shapes that take a few seconds now (tens of thousands of findings) are marked slow.
SLOW = {
    "wikilink-opens", "brackets", "tag-opens", "bracketed-links", "unclosed-anchors",
    "bare-labels", "heading-links", "suppressed-regions",
}  # fmt: skip
MAIN = "import sys; from vaultbot.cli import main; sys.exit(main())"


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_capped(vault: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`vaultbot ARGS` in `vault`, in a child process under the memory cap and hang guard."""
    return subprocess.run(
        [sys.executable, "-c", MAIN, *args],
        cwd=vault,
        preexec_fn=_cap_memory,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )


def _params() -> list[object]:
    return [
        pytest.param(shape, id=shape.name, marks=[pytest.mark.slow] if shape.name in SLOW else [])
        for shape in scaling.SHAPES
        if shape.tested
    ]


@pytest.mark.parametrize("shape", _params())
def test_shape_is_checked_and_fixed_within_bounds(shape: scaling.Shape, tmp_path: Path) -> None:
    # A generated vault (write_vault's config): every finding, at its severity.
    vault = scaling.write_vault(tmp_path / "vault", shape.build(shape.n))
    checked = run_capped(vault, "check", "--no-cache", "--format", "concise")
    assert checked.returncode in (0, 1), checked.stderr[-2000:]
    assert checked.stderr == ""
    assert re.search(r"^(?:Found \d+ finding|All checked)", checked.stdout, re.M)
    fixed = run_capped(vault, "fix")
    assert fixed.returncode in (0, 1), fixed.stderr[-2000:]
    assert fixed.stderr == ""


@pytest.mark.slow
def test_findings_on_a_long_line_keep_a_window_of_it(tmp_path: Path) -> None:
    # 50,000 unclosed links on one 200 kB line: each finding used to hold the whole line.
    vault = scaling.write_vault(tmp_path / "vault", scaling.BY_NAME["wikilink-opens"].build(50_000))
    checked = run_capped(vault, "check", "--no-cache")
    assert checked.returncode == 1, checked.stderr[-2000:]
    shown = [line for line in checked.stdout.splitlines() if line.startswith(" 1 | ")]
    assert len(shown) == 50_000
    assert max(len(line) for line in shown) <= 5 + 2 + 240  # gutter, two "…", the window


def test_text_output_shows_the_window_around_a_finding_far_along_its_line(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    prose = "word " * 20_000  # the finding is at column 100,001 of a 100,003-character line
    vault = make_vault({"note.md": prose + "[[a\n", "short.md": "See [[a here\n"})
    monkeypatch.chdir(vault)
    assert main(["check", "--no-cache"]) == 1
    out = click.unstyle(capsys.readouterr().out)
    far = (
        "note.md:1:100001: LK002 error: Unclosed wikilink '[[a': no ']]' on its line\n"
        "   |\n"
        f" 1 | …{prose[-40:]}[[a\n"
        f"   | {' ' * 41}^^\n"
    )
    near = (  # a short line looks as it always did
        "short.md:1:5: LK002 error: Unclosed wikilink '[[a here': no ']]' on its line\n"
        "   |\n"
        " 1 | See [[a here\n"
        "   |     ^^\n"
    )
    assert far in out and near in out


def test_alias_bomb_in_front_matter_is_reported_not_expanded(tmp_path: Path) -> None:
    vault = scaling.write_vault(tmp_path / "vault", scaling.BY_NAME["fm-alias-bomb"].build(1))
    checked = run_capped(vault, "check", "--no-cache", "--format", "concise")
    assert checked.returncode == 1, checked.stderr[-2000:]
    assert (
        "note.md:3:10: FM001 [frontmatter-invalid] error: Front matter is not read: it uses the YAML alias '*a0' "
        "(Obsidian properties have no anchors or aliases; vaultbot does not expand them)"
    ) in checked.stdout


#: A generated note (a yt-timestamp anchor), so that its editorial line has a safe fix.
_BODY = 'Body <a class="yt-timestamp" data-t="00:00:01">[00:00:01]</a>.\n'


def _special_vault(root: Path) -> Path:
    vault = scaling.write_vault(root, "Here is the modified article:\n\n" + _BODY)
    generated_config(root.parent)
    os.mkfifo(vault / "fifo.md")
    (vault / "zero.md").symlink_to("/dev/zero")
    with open(vault / "huge.md", "wb") as handle:  # sparse: 10 GB that take no disk space
        handle.truncate(10 * 2**30)
    return vault


@pytest.mark.parametrize("command", ["check", "fix"])
def test_special_files_are_refused_and_the_rest_processed(tmp_path: Path, command: str) -> None:
    vault = _special_vault(tmp_path / "vault")
    args = ["check", "--no-cache", "--format", "concise"] if command == "check" else ["fix"]
    result = run_capped(vault, *args)
    assert result.returncode == 2
    assert sorted(result.stderr.splitlines()) == [
        "vaultbot: error: fifo.md: not a regular file (FIFO)",
        f"vaultbot: error: huge.md: file is too large ({10 * 2**30} bytes; limit 10485760)",
        "vaultbot: error: zero.md: not a regular file (character device)",
    ]
    if command == "check":
        assert "note.md:1:1: ED001" in result.stdout
    else:
        assert (vault / "note.md").read_text(encoding="utf-8") == _BODY


def test_a_fifo_named_on_the_command_line_is_refused(tmp_path: Path) -> None:
    vault = _special_vault(tmp_path / "vault")
    result = run_capped(vault, "check", "--no-cache", "fifo.md")
    assert result.returncode == 2
    assert result.stderr == "vaultbot: error: fifo.md: not a regular file (FIFO)\n"
