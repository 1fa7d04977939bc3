"""Issue 10, configuration: every option is checked against its type and allowed values, with
one error line naming the key (exit 2, no traceback); user patterns run in linear time."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import GENERATED, VaultFactory

from vaultbot.cli import main

NOTE = "Text [[Missing]].\n"


def run(vault: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        code = main(["check", "--no-cache", *args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ('fuzzy-threshold = "abc"', "'rules.link-target-missing.fuzzy-threshold'"),
        ("fuzzy-threshold = 250", "'rules.link-target-missing.fuzzy-threshold'"),
        ("fuzzy-threshold = true", "'rules.link-target-missing.fuzzy-threshold'"),
        ("strategy = 5", "'rules.link-target-missing.strategy'"),
        ('strategy = "delete"', "'rules.link-target-missing.strategy'"),
        ("stub-folder = 3", "'rules.link-target-missing.stub-folder'"),
        ('stub-folder = "../outside"', "'rules.link-target-missing.stub-folder'"),
    ],
)
def test_link_options(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], config: str, key: str
) -> None:
    vault = make_vault({"n.md": NOTE, "vaultbot.toml": f"[rules.link-target-missing]\n{config}\n"})
    code, err = run(vault, capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("vaultbot: error: ") and key in err


@pytest.mark.parametrize(
    ("rule", "config"),
    [
        ("timestamp-mismatch", 'prefer = "banana"'),
        ("timestamp-mismatch", "prefer = 1"),
        ("timestamp-out-of-range", 'max-duration = "banana"'),
        ("timestamp-out-of-range", "max-duration = 0"),
        ("timestamp-out-of-range", "max-duration = nan"),
        ("timestamp-out-of-range", "max-duration = [1]"),
        ("frontmatter-schema", 'schemas = "x"'),
    ],
)
def test_other_rule_options(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], rule: str, config: str
) -> None:
    vault = make_vault({"n.md": NOTE, "vaultbot.toml": f"[rules.{rule}]\n{config}\n"})
    code, err = run(vault, capsys)
    assert code == 2
    key = config.split(" =")[0]
    assert err.count("\n") == 1 and f"rules.{rule}.{key}" in err


def test_good_values_are_accepted(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    config = """
        [rules.link-target-missing]
        strategy = "stub"
        fuzzy-threshold = 0
        stub-folder = "topics/new"
        [rules.timestamp-mismatch]
        prefer = "data-t"
        [rules.timestamp-out-of-range]
        max-duration = "PT2H"
    """
    vault = make_vault({"n.md": NOTE, "vaultbot.toml": GENERATED + textwrap.dedent(config)})
    code, err = run(vault, capsys)
    assert (code, err) == (1, "")


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ('tool = "x"\n', "'tool' must be a table"),
        ("tool = 3\n", "'tool' must be a table"),
        ('[tool]\nvaultbot = "x"\n', "'tool.vaultbot' must be a table"),
        ("[tool.vaultbot\nselect = []\n", "cannot read config"),
        ("[project]\nname = 'x'\nname = 'y'\n", "cannot read config"),
    ],
)
def test_bad_pyproject_is_reported(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], pyproject: str, message: str
) -> None:
    vault = make_vault({"n.md": NOTE, "pyproject.toml": pyproject})
    code, err = run(vault, capsys)
    assert code == 2
    assert err.startswith("vaultbot: error: ") and "pyproject.toml" in err and message in err
    assert err.count("\n") == 1


def test_schema_patterns_run_in_linear_time(make_vault: VaultFactory, tmp_path: Path) -> None:
    # `^(a+)+$` takes 4.9 s on Python's backtracking engine for 26 characters and doubles with
    # each one more: 40 would be hours. A hang guard (not a speed target) turns a hang into a
    # failure.
    config = """
        [[rules.frontmatter-schema.schemas]]
        patterns = { id = "^(a+)+$" }
    """
    note = "---\nid: " + "a" * 40 + "!\n---\nText.\n"
    vault = make_vault({"n.md": note, "vaultbot.toml": textwrap.dedent(config)})
    script = "import sys; from vaultbot.cli import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", script, "check", "--no-cache", "--format", "concise"]
    done = subprocess.run(command, cwd=vault, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "FM002" in done.stdout, done.stderr


def test_unsupported_pattern_is_a_config_error(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    config = '[[rules.frontmatter-schema.schemas]]\npatterns = { id = "^(a)\\\\1$" }\n'
    vault = make_vault({"n.md": NOTE, "vaultbot.toml": config})
    code, err = run(vault, capsys)
    assert code == 2 and "rules.frontmatter-schema.schemas[0].patterns.id" in err
    assert err.count("\n") == 1
