"""Configuration files and in-note suppression (DESIGN.md §8)."""

from __future__ import annotations

import pytest
from conftest import VaultFactory, check_json, findings

from vaultbot.cli import main

BAD = "Here is the modified article with inserted backlinks:\n\nText [[Missing]].\n"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pyproject.toml", '[tool.vaultbot]\nignore = ["editorial-line"]\n'),
        ("vaultbot.toml", 'ignore = ["ED001"]\n'),
        (".vaultbot.toml", 'select = ["LK"]\n'),
    ],
)
def test_config_files_are_found(make_vault: VaultFactory, name: str, content: str) -> None:
    vault = make_vault({name: content, "n.md": BAD})
    assert findings(vault) == [("n.md", 3, "LK001")]


def test_config_is_found_above_the_vault_root(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": BAD})
    (vault.parent / "vaultbot.toml").write_text('ignore = ["LK001"]\n')
    assert findings(vault) == [("n.md", 1, "ED001")]


def test_pyproject_without_table_is_skipped(make_vault: VaultFactory) -> None:
    vault = make_vault({"pyproject.toml": "[project]\nname = 'x'\n", "n.md": BAD})
    (vault.parent / "vaultbot.toml").write_text('ignore = ["LK001"]\n')
    assert findings(vault) == [("n.md", 1, "ED001")]


def test_exclude(make_vault: VaultFactory) -> None:
    vault = make_vault({"vaultbot.toml": 'exclude = ["drafts", "*.tmp.md"]\n', "drafts/a.md": BAD,
                        "b.tmp.md": BAD, "c.md": BAD})  # fmt: skip
    assert {path for path, _, _ in findings(vault)} == {"c.md"}


def test_command_line_select_wins(make_vault: VaultFactory) -> None:
    vault = make_vault({"vaultbot.toml": 'select = ["LK001"]\n', "n.md": BAD})
    assert findings(vault, "--select", "ED001") == [("n.md", 1, "ED001")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("selct = []\n", "unknown key 'selct'"),
        ('select = ["XX999"]\n', "unknown rule 'XX999'"),
        ("[rules.nope]\n", "unknown rule 'rules.nope'"),
        ("[rules.editorial-line]\ncolour = 1\n", "unknown option 'rules.editorial-line.colour'"),
        ('select = "ED001"\n', "'select' must be a list of strings"),
        ("select = [\n", "cannot read config"),
    ],
)
def test_config_errors_name_the_key(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    vault = make_vault({"vaultbot.toml": content, "n.md": BAD})
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert message in err and "vaultbot.toml" in err and "Traceback" not in err


def test_line_suppression(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            "n.md": (
                "Here is the modified article with inserted backlinks: %% vaultbot: ignore[editorial-line] %%\n\n"
                "Text [[Missing]]. %% vaultbot: ignore[ED001] %%\n"
                "Text [[Gone]]. %% vaultbot: ignore %%\n"
                "Text [[Lost]]. %% vaultbot: ignore[link-target-missing, ED001] %%\n"
            )
        }
    )
    assert findings(vault) == [("n.md", 3, "LK001")]


def test_region_suppression(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            "n.md": (
                "Intro.\n\n[[A]]\n%% vaultbot: disable[link-target-missing] %%\n[[B]]\n[[C]]\n"
                "%% vaultbot: enable[link-target-missing] %%\n[[D]]\n"
                "%% vaultbot: disable %%\n[[E]]\n"
            )
        }
    )
    assert findings(vault) == [("n.md", 3, "LK001"), ("n.md", 8, "LK001")]


def test_front_matter_suppression(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            "n.md": "---\nvaultbot-ignore: [link-target-missing]\n---\n" + BAD,
            "m.md": "---\nvaultbot-ignore: all\n---\n" + BAD,
        }
    )
    assert findings(vault) == [("n.md", 4, "ED001")]


def test_directive_inside_code_is_not_a_directive(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "`%% vaultbot: ignore %%` [[Missing]]\n"})
    _code, doc = check_json(vault)
    assert [f["code"] for f in doc["findings"]] == ["LK001"]
