"""A baseline of accepted findings: only new findings fail, stable across line moves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import VaultFactory, check_json

from vaultbot.cli import main

NOTE = "Intro.\n\nSee [[Gone]] and [[Gone]].\n\nAlso [[Lost]].\n"


def check(vault: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        code = main(["check", "--no-cache", "--format", "concise", *args])
    out, err = capsys.readouterr()
    return code, out, err


#: The summary's profile line for a vault of `make_vault` (a config says it is generated).
PROFILE = "Profile: generated vault (configured)."


def test_a_baseline_accepts_what_it_holds_and_reports_what_is_new(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": NOTE})
    base = vault / "baseline.json"
    code, out, _ = check(vault, capsys, "--baseline", str(base), "--write-baseline")
    assert (code, out.strip()) == (0, f"Wrote 3 findings to the baseline {base}.")
    entries = json.loads(base.read_text())["findings"]
    assert sorted((e["path"], e["code"], e["count"]) for e in entries) == [
        ("n.md", "LK001", 1), ("n.md", "LK001", 2)  # [[Lost]] once, [[Gone]] twice
    ]  # fmt: skip
    assert "line" not in json.dumps(entries)

    assert check(vault, capsys, "--baseline", str(base))[:2] == (
        0, f"All checked: no new findings in 1 note (3 more in the baseline).\n{PROFILE}\n"
    )  # fmt: skip
    # Lines move, a new link goes missing, one of the two [[Gone]] is gone
    (vault / "n.md").write_text("# Title\n\nNew para.\n\n" + NOTE.replace(" and [[Gone]]", "") +
                                "\nFresh [[Nowhere]].\n")  # fmt: skip
    code, out, _ = check(vault, capsys, "--baseline", str(base))
    assert code == 1
    assert out.splitlines() == [
        "n.md:11:7: LK001 [link-target-missing] error: Link target 'Nowhere' does not exist",
        "Found 1 finding (1 error) in 1 of 1 note (2 more in the baseline).",
        PROFILE,
    ]
    # the same finding added a second time is new: counts are kept
    (vault / "n.md").write_text(NOTE + "\nAlso [[Lost]].\n")
    code, out, _ = check(vault, capsys, "--baseline", str(base))
    assert code == 1 and out.startswith("n.md:7:6: LK001")


def test_a_baseline_is_per_note(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": NOTE})
    base = vault.parent / "baseline.json"
    check(vault, capsys, "--baseline", str(base), "--write-baseline")
    (vault / "m.md").write_text(NOTE)
    _, doc = check_json(vault, "--baseline", str(base))
    assert {f["path"] for f in doc["findings"]} == {"m.md"}
    assert doc["summary"]["baselined"] == 3


@pytest.mark.parametrize("content", ["{", '{"version": 9, "findings": []}', '{"version": 1}', "[]"])
def test_a_broken_baseline_is_an_error(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    vault = make_vault({"n.md": NOTE})
    (vault / "b.json").write_text(content)
    code, _, err = check(vault, capsys, "--baseline", "b.json")
    assert code == 2 and "b.json: not a vaultbot baseline" in err


def test_write_baseline_needs_a_file(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": NOTE})
    code, _, err = check(vault, capsys, "--write-baseline")
    assert code == 2 and "--write-baseline needs --baseline FILE" in err


def test_a_finding_far_along_a_long_line_keeps_its_key_when_it_moves_along(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # A finding keeps only a window of its line (engine.source_window); its key is taken
    # from that window wherever the window starts.
    vault = make_vault({"n.md": "word " * 20 + "[[Gone]] and more.\n"})
    base = vault / "baseline.json"
    check(vault, capsys, "--baseline", str(base), "--write-baseline")
    (vault / "n.md").write_text("word " * 200 + "[[Gone]] and more.\n")  # column 101 -> 1001
    assert check(vault, capsys, "--baseline", str(base))[:2] == (
        0, f"All checked: no new findings in 1 note (1 more in the baseline).\n{PROFILE}\n"
    )  # fmt: skip
    (vault / "n.md").write_text("word " * 200 + "[[Lost]] and more.\n")
    assert check(vault, capsys, "--baseline", str(base))[0] == 1


def test_a_baseline_not_yet_written_says_how_to_write_it(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """A first `--baseline FILE` before the file exists is not called a broken baseline: the
    line says it is missing and how to create it."""
    vault = make_vault({"n.md": NOTE})
    code, out, err = check(vault, capsys, "--baseline", "b.json")
    assert code == 2 and out == ""
    assert err == (
        "vaultbot: error: b.json: no such baseline file (create it with --write-baseline)\n"
    )
