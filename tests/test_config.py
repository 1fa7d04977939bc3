"""Configuration files and in-note suppression (DESIGN.md §8)."""

from __future__ import annotations

import pytest
from conftest import GENERATED, VaultFactory, check_json, findings

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
    content += GENERATED  # the config in the vault wins over the one beside it
    vault = make_vault({name: content, "n.md": BAD})
    assert findings(vault) == [("n.md", 3, "LK001")]


def test_config_is_found_above_the_vault_root(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": BAD})
    (vault.parent / "vaultbot.toml").write_text(GENERATED + 'ignore = ["LK001"]\n')
    assert findings(vault) == [("n.md", 1, "ED001")]


def test_pyproject_without_table_is_skipped(make_vault: VaultFactory) -> None:
    vault = make_vault({"pyproject.toml": "[project]\nname = 'x'\n", "n.md": BAD})
    (vault.parent / "vaultbot.toml").write_text(GENERATED + 'ignore = ["LK001"]\n')
    assert findings(vault) == [("n.md", 1, "ED001")]


def test_exclude(make_vault: VaultFactory) -> None:
    vault = make_vault({"vaultbot.toml": GENERATED + 'exclude = ["drafts", "*.tmp.md"]\n', "drafts/a.md": BAD,
                        "b.tmp.md": BAD, "c.md": BAD})  # fmt: skip
    assert {path for path, _, _ in findings(vault)} == {"c.md"}


def test_extend_select_adds_to_any_selection(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {"vaultbot.toml": GENERATED + 'select = ["LK"]\nextend-select = ["ED001"]\n', "n.md": BAD}
    )
    assert findings(vault) == [("n.md", 1, "ED001"), ("n.md", 3, "LK001")]
    assert findings(vault, "--select", "TS") == [("n.md", 1, "ED001")]  # as ruff: still extends


def test_extend_ignore_adds_to_ignore(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            "vaultbot.toml": GENERATED
            + 'ignore = ["TS"]\nextend-ignore = ["link-target-missing"]\n',
            "n.md": BAD,
        }
    )
    assert findings(vault) == [("n.md", 1, "ED001")]


PER_FILE = '[per-file-ignores]\n"drafts/*" = ["LK001"]\n"inbox" = ["editorial-line", "LK"]\n'


def test_per_file_ignores(make_vault: VaultFactory) -> None:
    vault = make_vault({"vaultbot.toml": GENERATED + PER_FILE, "drafts/a.md": BAD, "inbox/deep/b.md": BAD,
                        "c.md": BAD})  # fmt: skip
    assert findings(vault) == [
        ("c.md", 1, "ED001"), ("c.md", 3, "LK001"), ("drafts/a.md", 1, "ED001")
    ]  # fmt: skip
    assert findings(vault, "--select", "ED001") == [
        ("c.md", 1, "ED001"),
        ("drafts/a.md", 1, "ED001"),
    ]


def test_per_file_ignores_hold_for_fix_and_the_api(make_vault: VaultFactory) -> None:
    from vaultbot import Vault, check_text

    generated = "---\ngenerator: pipeline\n---\n" + BAD  # its ED001 fix is safe (signals)
    vault = make_vault({"vaultbot.toml": PER_FILE, "inbox/b.md": generated, "c.md": generated})
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        assert main(["fix"]) == 1
    assert (vault / "inbox/b.md").read_text() == generated  # its ED001 is not vaultbot's business
    assert (vault / "c.md").read_text() == "---\ngenerator: pipeline\n---\nText [[Missing]].\n"
    api_vault = Vault.from_folder(vault)
    assert check_text(BAD, path="inbox/new.md", vault=api_vault) == []
    assert [f.code for f in check_text(BAD, path="new.md", vault=api_vault)] == ["ED001", "LK001"]


def test_per_file_ignores_are_part_of_the_cache_key(make_vault: VaultFactory) -> None:
    vault = make_vault({"drafts/a.md": BAD})
    _, first = check_json(vault, cache=True)
    (vault / "vaultbot.toml").write_text(GENERATED + PER_FILE)
    _, second = check_json(vault, cache=True)
    assert len(first["findings"]) == 2 and len(second["findings"]) == 1


def test_command_line_select_wins(make_vault: VaultFactory) -> None:
    vault = make_vault({"vaultbot.toml": GENERATED + 'select = ["LK001"]\n', "n.md": BAD})
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
        ('extend-select = ["XX999"]\n', "unknown rule 'XX999'"),
        ('extend-ignore = "LK"\n', "'extend-ignore' must be a list of strings"),
        ('[per-file-ignores]\n"a/*" = ["nope"]\n', "unknown rule 'nope'"),
        ('per-file-ignores = ["LK"]\n', "'per-file-ignores' must be a table"),
        (
            '[rules.timestamp-mismatch]\nprefer = "labels"\n',
            'prefer\' must be one of "label", "data-t"',
        ),
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
    # ED001 has nothing to silence on lines 3 and 5: suppression-unused says so
    assert findings(vault) == [("n.md", 3, "LK001"), ("n.md", 3, "SP001"), ("n.md", 5, "SP001")]


UNUSED = (
    "See [[Topic]]. %% vaultbot: ignore[link-target-mising] %%\n"
    "See [[Nope]]. %% vaultbot: ignore[link-target-missing] %%\n"
    "Fine [[Topic]]. %% vaultbot: ignore[link-target-missing, ED001] %%\n"
    "Half [[Gone]]. %% vaultbot: ignore[link-target-missing, ED001] %%\n"
    "%% vaultbot: disable[timestamp-bare] %%\n"
    "Plain text.\n"
    "%% vaultbot: enable[timestamp-bare] %%\n"
    "End.\n"
)


def test_unused_and_unknown_suppressions_are_reported_and_fixed(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": UNUSED, "Topic.md": "x\n"})
    _, doc = check_json(vault)
    found = [
        (f["line"], f["code"], f["message"], f["fix"]["applicability"]) for f in doc["findings"]
    ]
    assert found == [
        (1, "SP001", "Unused suppression (unknown rule 'link-target-mising')", "safe"),
        (3, "SP001", "Unused suppression ('ed001' silenced nothing, 'link-target-missing' "
                     "silenced nothing)", "safe"),
        (4, "SP001", "Unused suppression ('ed001' silenced nothing)", "safe"),
        (5, "SP001", "Unused suppression ('timestamp-bare' silenced nothing)", "safe"),
    ]  # fmt: skip
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        assert main(["fix"]) == 1  # a note was changed
    assert (vault / "n.md").read_text() == (
        "See [[Topic]].\n"
        "See [[Nope]]. %% vaultbot: ignore[link-target-missing] %%\n"
        "Fine [[Topic]].\n"
        "Half [[Gone]]. %% vaultbot: ignore[link-target-missing] %%\n"
        "Plain text.\n"
        "End.\n"
    )
    assert findings(vault) == []


def test_unused_suppressions_can_be_ignored(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {"n.md": UNUSED, "Topic.md": "x\n", "vaultbot.toml": GENERATED + 'ignore = ["SP001"]\n'}
    )
    assert findings(vault) == []


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
