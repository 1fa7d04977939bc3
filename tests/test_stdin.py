"""`check`/`fix --stdin-filename NOTE.md -`: a note from standard input, as editors call it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import VaultFactory

ANSWER = "Here is the modified article with inserted backlinks:\n\n[[Topic A]] and [[Nope]].\n"


def vaultbot(cwd: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "vaultbot", *args],
        cwd=cwd, input=stdin.encode(), capture_output=True, check=False,
    )  # fmt: skip
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


def test_check_reads_the_note_from_stdin_and_resolves_links_in_its_vault(
    make_vault: VaultFactory,
) -> None:
    vault = make_vault({".obsidian/app.json": "{}", "sub/Topic A.md": "# A\n"})
    before = sorted(p.name for p in vault.rglob("*"))
    done = vaultbot(vault / "sub", ANSWER, "check", "--format", "json",
                    "--stdin-filename", "new.md", "-")  # fmt: skip
    assert done.returncode == 1, done.stderr
    found = json.loads(done.stdout)["findings"]
    assert [(f["path"], f["line"], f["code"]) for f in found] == [
        ("new.md", 1, "ED001"),
        ("new.md", 3, "LK001"),
    ]
    assert "'Nope'" in found[1]["message"]
    assert sorted(p.name for p in vault.rglob("*")) == before  # nothing written


def test_check_stdin_of_a_clean_note_exits_0(make_vault: VaultFactory) -> None:
    vault = make_vault({"Topic A.md": "# A\n"})
    done = vaultbot(vault, "[[Topic A]]\n", "check", "--stdin-filename", "x/new.md", "-")
    assert (done.returncode, done.stderr) == (0, "")
    assert "no findings in 1 note" in done.stdout


def test_fix_writes_the_fixed_text_to_stdout(make_vault: VaultFactory) -> None:
    vault = make_vault({"Topic A.md": "# A\n"})
    generated = "---\ngenerator: pipeline\n---\n"  # a signal: deleting the editorial line is safe
    done = vaultbot(vault, generated + ANSWER, "fix", "--stdin-filename", "new.md", "-")
    assert done.stdout == generated + "[[Topic A]] and [[Nope]].\n"
    assert done.returncode == 1  # a finding remains, told on stderr
    assert "new.md:4:17: LK001 [link-target-missing]" in done.stderr
    assert not (vault / "new.md").exists()
    front = generated.replace("\n", "\r\n")
    kept = f"\ufeff{front}Here is the article:\r\n\r\n[[Topic A]]\r\n"
    clean = vaultbot(vault, kept, "fix", "--stdin-filename", "new.md", "-")
    assert (clean.returncode, clean.stdout) == (0, f"\ufeff{front}[[Topic A]]\r\n")  # BOM, CRLF


def test_dash_with_other_paths_is_a_usage_error(make_vault: VaultFactory) -> None:
    vault = make_vault({"a.md": "x\n"})
    done = vaultbot(vault, "", "check", "-", "a.md")
    assert done.returncode == 2 and "standard input" in done.stderr


def test_binary_stdin_is_an_error(make_vault: VaultFactory) -> None:
    vault = make_vault({"a.md": "x\n"})
    done = vaultbot(vault, "\x00\x01\xff", "check", "--stdin-filename", "b.md", "-")
    assert done.returncode == 2 and "b.md:" in done.stderr
