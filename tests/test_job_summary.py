"""The job summary (`check --summary`, `$GITHUB_STEP_SUMMARY`): its whole text, since GitHub
shows at most 10 annotations of each level and the summary must carry the full count."""

from __future__ import annotations

from pathlib import Path

from conftest import VaultFactory, check_json


def summary(vault: Path) -> str:
    path = vault.parent / "summary.md"
    path.write_text("earlier step\n")  # the summary file is appended to, never replaced
    check_json(vault, "--summary", str(path))
    text = path.read_text()
    assert text.startswith("earlier step\n## vaultbot\n")
    return text.removeprefix("earlier step\n")


def test_summary_of_a_few_findings(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {"n.md": "[[A]]\n[[B]]\n", "ok.md": "x\n", "sub/m.md": "[[T#Nope]]\n", "T.md": "# T\n"}
    )
    assert summary(vault) == (
        "## vaultbot\n\n"
        "**3 findings** in 2 of 4 checked notes.\n\n"
        "| rule | name | severity | findings |\n"
        "| --- | --- | --- | ---: |\n"
        "| LK001 | link-target-missing | error | 2 |\n"
        "| LK003 | link-heading-missing | warning | 1 |\n\n"
        "### First 3 findings\n\n"
        "| note | line | rule | message |\n"
        "| --- | ---: | --- | --- |\n"
        "| n.md | 1 | LK001 | Link target 'A' does not exist |\n"
        "| n.md | 2 | LK001 | Link target 'B' does not exist |\n"
        "| sub/m.md | 1 | LK003 | Heading 'Nope' not found in 'T.md' |\n"
    )


def test_summary_without_findings(make_vault: VaultFactory) -> None:
    vault = make_vault({"a.md": "x\n", "b.md": "[[a]]\n"})
    assert summary(vault) == "## vaultbot\n\nNo findings in 2 checked notes.\n"


def test_summary_lists_the_first_twenty_and_counts_the_rest(make_vault: VaultFactory) -> None:
    for total, more in ((20, None), (21, "… and 1 more (see the SARIF report).")):
        vault = make_vault({"n.md": "".join(f"[[Missing {i}]]\n" for i in range(total))})
        lines = summary(vault).splitlines()
        assert f"**{total} findings** in 1 of 1 checked notes." in lines
        assert f"| LK001 | link-target-missing | error | {total} |" in lines
        assert "### First 20 findings" in lines
        rows = [line for line in lines if line.startswith("| n.md |")]
        assert (
            len(rows) == 20
            and rows[-1] == "| n.md | 20 | LK001 | Link target 'Missing 19' does not exist |"
        )
        assert lines[-1] == (more or rows[-1])
        (vault / "n.md").unlink()


def test_a_line_break_in_a_note_name_stays_in_its_row(make_vault: VaultFactory) -> None:
    vault = make_vault({"a\nb.md": "[[Missing]]\n"})
    text = summary(vault)
    [row] = [line for line in text.splitlines() if "Missing" in line]
    assert row.startswith("| a") and row.endswith(
        " | 1 | LK001 | Link target 'Missing' does not exist |"
    )
    assert "\n" + "b.md" not in text


def test_the_count_of_the_rest_is_a_paragraph_below_the_table(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "".join(f"[[Missing {i}]]\n" for i in range(21))})
    # A blank line ends the table: without it Markdown would read the count as one more row.
    assert summary(vault).endswith(
        "| n.md | 20 | LK001 | Link target 'Missing 19' does not exist |\n"
        "\n"
        "… and 1 more (see the SARIF report).\n"
    )
