"""Startup stays small: `--version` and `--help` import neither the engine nor any rule or
formatter (measured with `python -X importtime -m vaultbot --version`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import generated_config

HEAVY = (
    "vaultbot.engine",
    "vaultbot.rules._editorial",
    "vaultbot.rules.ed001_editorial_line",
    "vaultbot.rules.lk001_link_target_missing",
    "vaultbot.output.text",
)
#: Modules the hook's one-note check never needs: the cache (hashlib, hmac), writing notes
#: (tempfile, which loads shutil and bz2), diffs, worker processes (ctypes), package readers.
ONLY_FOR_OTHER_RUNS = (
    "vaultbot.cache", "tempfile", "hashlib", "hmac", "difflib", "ctypes", "importlib.resources",
)  # fmt: skip
PROBE = """
import sys
from vaultbot.cli import main
code = main(sys.argv[1:])
print(" ".join(sorted(sys.modules)))
raise SystemExit(code)
"""


def _modules_after(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    return set(done.stdout.split("\n")[-2].split())


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["check", "--help"]])
def test_help_and_version_import_no_rule(args: list[str]) -> None:
    loaded = _modules_after(*args)
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert not any(m.startswith(("ruamel", "git")) for m in loaded)


def test_the_registry_still_lists_every_rule_on_demand() -> None:
    import vaultbot.rules as registry

    assert registry.lookup("TS002") is not None
    assert len(registry.ALL_RULES) == len({rule.code for rule in registry.ALL_RULES}) > 10
    with pytest.raises(AttributeError):
        registry.NOT_A_RULE  # noqa: B018


def test_the_hooks_check_loads_only_what_it_needs(tmp_path: Path) -> None:
    """`vaultbot check --staged` (the plain hook) on an edited note runs git itself and
    reads simple front matter without ruamel."""

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / ".obsidian").mkdir()
    generated_config(tmp_path)  # the missing link is an error
    note = tmp_path / "a.md"
    note.write_text("---\ntitle: A note\ntags: [alpha, beta]\n---\n\nText.\n", encoding="utf-8")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
    note.write_text(note.read_text(encoding="utf-8") + "\nAn edit [[missing]].\n", "utf-8")
    git("add", "a.md")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "check", "--staged", "--format", "concise"],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    said = f"exit {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert done.returncode == 1, said  # the missing link is found
    assert "a.md:" in done.stdout, said
    loaded = set(done.stdout.split("\n")[-2].split())
    assert "vaultbot.engine" in loaded
    assert not any(m.startswith(("ruamel", "git")) for m in loaded), sorted(loaded)
    # what only a cached, fixing or multi-process run needs: 50 ms of a 0.3 s hook
    assert not loaded & set(ONLY_FOR_OTHER_RUNS), sorted(loaded & set(ONLY_FOR_OTHER_RUNS))
