"""Guarantees of the README and DESIGN.md that a plausible one-line bug would break (issue 14).

Each test here was seen failing with such a bug planted in `vaultbot/` by hand; the bug is
named in the test's docstring.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import GENERATED, VaultFactory, cache_document, check_json

from vaultbot import cache, engine, fixes
from vaultbot.cli import main
from vaultbot.note import Note
from vaultbot.rules import Edit, Finding, Fix, Rule
from vaultbot.vault import Vault

ANCHOR = '<a class="yt-timestamp" data-t="{}">[{}]</a>'


def run_cli(vault: Path, *argv: str) -> int:
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        return main(list(argv))


def codes(document: dict[str, Any]) -> list[tuple[int, str]]:
    return [(f["line"], f["code"]) for f in document["findings"]]


# -- check --fail-on --------------------------------------------------------------------------

#: One finding of each severity: LK003 (warning), LK004 (info), LK001 (error).
WARNING_ONLY = {"n.md": "[[T#Nowhere]]\n", "T.md": "# Here\n"}
INFO_ONLY = {"n.md": "[[x]]\n", "a/x.md": "x\n", "b/x.md": "x\n"}
ERROR_ONLY = {"n.md": "[[Missing]]\n"}


@pytest.mark.parametrize(
    ("files", "severity", "fail_on", "expected"),
    [
        (WARNING_ONLY, "warning", "error", 0),
        (WARNING_ONLY, "warning", "warning", 1),
        (WARNING_ONLY, "warning", "info", 1),
        (INFO_ONLY, "info", "error", 0),
        (INFO_ONLY, "info", "warning", 0),
        (INFO_ONLY, "info", "info", 1),
        (ERROR_ONLY, "error", "error", 1),
    ],
)
def test_fail_on_sets_the_exit_code(
    make_vault: VaultFactory, files: dict[str, str], severity: str, fail_on: str, expected: int
) -> None:
    """Planted: `check` exits 1 for any finding, whatever `--fail-on` says."""
    vault = make_vault(dict(files))
    code, document = check_json(vault, "--fail-on", fail_on)
    assert {f["severity"] for f in document["findings"]} == {severity}  # the finding is reported
    assert code == expected


# -- TS007 at the video's end -----------------------------------------------------------------


def out_of_range(make_vault: VaultFactory, at: str) -> list[tuple[int, str]]:
    note = f"---\nvideoId: abc\nduration: 00:45:00\n---\n\nSee {ANCHOR.format(at, at)}.\n"
    vault = make_vault({"n.md": note})
    return codes(check_json(vault, "--select", "TS007")[1])


def test_ts007_allows_the_last_second_of_the_video(make_vault: VaultFactory) -> None:
    """Planted: TS007 compares with `>=`, so 00:45:00 is "past the end" of a 00:45:00 video."""
    assert out_of_range(make_vault, "00:45:00") == []


def test_ts007_fires_one_second_past_the_end(make_vault: VaultFactory) -> None:
    assert out_of_range(make_vault, "00:45:01") == [(6, "TS007")]


# -- ignore[...] on a multi-line finding -----------------------------------------------------

WRAPPED = "```markdown{comment}\n# Title\n\nBody.{middle}\n```\n"
IGNORE = " %% vaultbot: ignore[{}] %%"


def test_ignore_on_the_first_line_of_a_multi_line_finding(make_vault: VaultFactory) -> None:
    """Planted: `ignore[...]` is matched against the finding's end line, not its start."""
    vault = make_vault(
        {
            "silenced.md": WRAPPED.format(comment=IGNORE.format("editorial-fence"), middle=""),
            "other.md": WRAPPED.format(comment=IGNORE.format("link-target-missing"), middle=""),
        }
    )
    document = check_json(vault, "--select", "ED002")[1]
    [finding] = document["findings"]
    assert finding["path"] == "other.md"
    assert (finding["line"], finding["end_line"]) == (1, 5)  # a multi-line finding


def test_ignore_on_a_later_line_of_a_multi_line_finding(make_vault: VaultFactory) -> None:
    """A directive silences the line it stands on: the finding starts above it."""
    vault = make_vault({"n.md": WRAPPED.format(comment="", middle=IGNORE.format("ED002"))})
    assert codes(check_json(vault, "--select", "ED002")[1]) == [(1, "ED002")]


# -- escaping in the HTML report and the job summary ------------------------------------------

HOSTILE = "[[a <b>bold</b> & c]] and [t](p%7Cq.md)\n"


def test_html_report_escapes_note_text(make_vault: VaultFactory, tmp_path: Path) -> None:
    """Planted: the HTML report writes messages and names unescaped."""
    vault = make_vault({"x <i> & y.md": HOSTILE})
    report = tmp_path / "report.html"
    run_cli(vault, "clean", "--dry-run", "--report", str(report), ".")
    page = report.read_text(encoding="utf-8")
    assert "a &lt;b&gt;bold&lt;/b&gt; &amp; c" in page
    assert "x &lt;i&gt; &amp; y.md" in page
    assert "<b>bold" not in page and "<i>" not in page
    assert not re.search(r"&(?!(?:lt|gt|amp|quot|#x27|nbsp);)", page)  # every & starts an entity


def test_job_summary_keeps_its_table_cells(make_vault: VaultFactory, tmp_path: Path) -> None:
    """Planted: `|` in a note name or message is not escaped and splits a table cell."""
    vault = make_vault({"a|b.md": HOSTILE})
    summary = tmp_path / "summary.md"
    check_json(vault, "--summary", str(summary))
    rows = [line for line in summary.read_text().splitlines() if line.startswith("| a")]
    assert len(rows) == 2  # two LK001 findings
    for row in rows:
        cells = re.split(r"(?<!\\)\|", row)[1:-1]
        assert len(cells) == 4, row
        assert cells[0].strip() == "a\\|b.md"
    assert "p\\|q.md" in rows[1]


# -- the "changed on disk" guard --------------------------------------------------------------


def test_a_same_length_edit_during_a_fix_is_not_overwritten(
    make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Planted: the guard compares sizes only. The user saves an edit of the same length
    between vaultbot reading the note and writing its fix."""
    generated = (
        "---\nvideoId: abcdefghijk\n---\n"  # a generated note: the editorial line's fix is safe
    )
    text = generated + "Here is the modified article:\n\nBody text.\n"
    edited = generated + "Here is the modified article:\n\nBody TEXT.\n"
    assert len(edited) == len(text)
    vault = make_vault({"n.md": text})
    real_fix_note = fixes.fix_note

    def fix_then_user_saves(note: Note, *args: Any, **kwargs: Any) -> fixes.FixOutcome:
        outcome = real_fix_note(note, *args, **kwargs)
        (vault / note.rel).write_text(edited)
        return outcome

    monkeypatch.setattr(fixes, "fix_note", fix_then_user_saves)
    assert run_cli(vault, "fix") == 2
    assert (vault / "n.md").read_text() == edited
    assert "n.md: changed on disk since it was read; not written" in capsys.readouterr().err


# -- byte offsets to characters ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "column"),
    [("café", 5), ("naïve café ", 12), ("日本語 ", 5), ("🙂🙂", 3), ("ascii", 6)],
)
def test_columns_count_characters_after_multibyte_text(
    make_vault: VaultFactory, prefix: str, column: int
) -> None:
    """Planted: the byte→character conversion is off by one after a multi-byte character."""
    link = "[t](Missing.md)"
    vault = make_vault({"n.md": f"{prefix}{link}\n"})
    [finding] = check_json(vault, "--select", "LK001")[1]["findings"]
    assert (finding["line"], finding["column"]) == (1, column)
    assert (finding["end_line"], finding["end_column"]) == (1, column + len(link))


def test_json_end_column_of_a_finding_that_ends_a_line(make_vault: VaultFactory) -> None:
    """The end column is one past the last character (exclusive), also at the end of a line
    and after multi-byte text; a finding that ends with its line ends on that line."""
    line = "Let me know if you need any further modifications — ça va!"
    vault = make_vault({"n.md": f"Body.\n\n{line}\n"})
    [finding] = check_json(vault, "--select", "ED001")[1]["findings"]
    assert (finding["line"], finding["column"]) == (3, 1)
    assert (finding["end_line"], finding["end_column"]) == (3, len(line) + 1)


# -- the cache key and rule options ----------------------------------------------------------


def test_cache_key_follows_rule_options(make_vault: VaultFactory) -> None:
    """Planted: the cache key ignores rule options, so a changed `max-duration` reuses the
    findings computed under the old limit."""
    vault = make_vault({"n.md": f"Late {ANCHOR.format('02:00:00', '02:00:00')}.\n"})
    assert codes(check_json(vault, cache=True)[1]) == []
    (vault / "vaultbot.toml").write_text(
        '[rules.timestamp-out-of-range]\nmax-duration = "01:00:00"\n'
    )
    assert codes(check_json(vault, cache=True)[1]) == [(1, "TS007")]
    (vault / "vaultbot.toml").write_text("")
    assert codes(check_json(vault, cache=True)[1]) == []


# -- cache invalidation on deleted files -----------------------------------------------------


def cache_entries(vault: Path) -> dict[str, Any]:
    [file] = sorted((vault / cache.CACHE_DIR).glob("check-*" + cache.SUFFIX))
    entries: dict[str, Any] = cache_document(file)["entries"]
    return entries


def test_a_deleted_note_leaves_the_report_and_the_cache(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "[[Missing]]\n", "m.md": "[[Gone]]\n"})
    assert len(check_json(vault, cache=True)[1]["findings"]) == 2
    (vault / "m.md").unlink()
    assert [f["path"] for f in check_json(vault, cache=True)[1]["findings"]] == ["n.md"]
    assert set(cache_entries(vault)) == {"n.md"}


def test_deleting_a_heading_target_or_an_attachment(make_vault: VaultFactory) -> None:
    """Deleted link targets other than plain notes: a note a heading link points into (its
    size and time are a dependency) and an embedded attachment (a name only)."""
    vault = make_vault(
        {"n.md": "[x](sub/U.md#Part)\n\n![[pic.png|100]]\n", "sub/U.md": "# Part\n", "pic.png": ""}
    )
    assert codes(check_json(vault, cache=True)[1]) == []
    (vault / "sub" / "U.md").unlink()
    assert codes(check_json(vault, cache=True)[1]) == [(1, "LK001")]
    (vault / "pic.png").unlink()
    assert codes(check_json(vault, cache=True)[1]) == [(1, "LK001"), (3, "LK001")]


# -- edited heading targets ------------------------------------------------------------------


def test_same_size_edit_of_a_heading_target(make_vault: VaultFactory) -> None:
    """A heading added to the target by an edit that keeps the file's size: the cached
    LK003 of a Markdown link into a subfolder goes away."""
    vault = make_vault({"n.md": "See [x](sub/T.md#Results).\n"})
    (vault / "sub").mkdir()
    target = vault / "sub" / "T.md"
    target.write_text("# Finding\n")
    assert codes(check_json(vault, "--select", "LK003", cache=True)[1]) == [(1, "LK003")]
    before = target.stat().st_mtime_ns
    target.write_text("# Results\n")  # same size
    os.utime(target, ns=(before + 10**9, before + 10**9))
    assert codes(check_json(vault, "--select", "LK003", cache=True)[1]) == []


# -- prefer = "label" ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefer", "expected"),
    [("label", ('data-t="01:01:00"', "01:01:00")), ("data-t", (">[00:01:00]", "00:01:00"))],
)
def test_prefer_offers_an_unsafe_fix_for_that_side(
    make_vault: VaultFactory, prefer: str, expected: tuple[str, str]
) -> None:
    text = f"Text {ANCHOR.format('00:01:00', '01:01:00')}.\n"
    vault = make_vault(
        {"vaultbot.toml": f'[rules.timestamp-mismatch]\nprefer = "{prefer}"\n', "n.md": text}
    )
    [finding] = check_json(vault, "--select", "TS002")[1]["findings"]
    fix = finding["fix"]
    assert fix["applicability"] == "unsafe"
    [edit] = fix["edits"]
    assert edit["content"] == expected[1]
    assert run_cli(vault, "fix", "--unsafe-fixes") == 1  # files changed
    assert expected[0] in (vault / "n.md").read_text()
    assert check_json(vault)[1]["findings"] == []


def test_without_prefer_an_undecidable_mismatch_has_no_fix(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": f"Text {ANCHOR.format('00:01:00', '01:01:00')}.\n"})
    [finding] = check_json(vault, "--select", "TS002")[1]["findings"]
    assert finding["fix"] is None


# -- the meaning guard -----------------------------------------------------------------------


class _Unfencing(Rule):
    """Deletes a note's first line: if that opens a code fence, the link inside becomes prose.

    ## What it does
    ## Why is this bad?
    ## Example
    ## Fix safety
    """

    code, name = "ZZ003", "unfencing"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        if note.text.startswith("```"):
            end = note.text.index("\n") + 1
            yield self.finding(0, end - 1, "unfence", Fix("safe", (Edit(0, end, ""),)))


def test_meaning_guard_refuses_a_link_that_appears(make_vault: VaultFactory) -> None:
    """The guard also catches meaning gained outside the edit: a link that was code."""
    text = "```\nsee [[Target]]\n```\n"
    vault = make_vault({"n.md": text, "Target.md": "x\n"})
    job = engine.Job(Vault.scan(vault), [_Unfencing()], vault, fix=True)
    report = engine.run(job, ["n.md"], jobs=1)
    assert (vault / "n.md").read_text() == text
    [error] = report.all_errors
    assert "would change what the note means" in error and "gained: link wikilink Target" in error


# -- the file mode ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o755, 0o604])
def test_clean_keeps_the_file_mode_of_a_symlinked_note(
    make_vault: VaultFactory, tmp_path: Path, mode: int
) -> None:
    """`clean` writes through a symlinked note: the link stays a link, the note its mode."""
    generated = (
        "---\nvideoId: abcdefghijk\n---\n"  # a generated note: the editorial line's fix is safe
    )
    vault = make_vault({"real.md": generated + "Here is the modified article:\n\nBody.\n"})
    (vault / "link.md").symlink_to("real.md")
    (vault / "real.md").chmod(mode)
    assert run_cli(vault, "clean", ".") == 1
    assert (vault / "real.md").read_text() == generated + "Body.\n"
    assert (vault / "link.md").is_symlink()
    assert stat.S_IMODE((vault / "real.md").stat().st_mode) == mode


# -- the session guards of tests/_guards.py --------------------------------------------------


def test_corpora_guard_sees_a_cache_a_same_size_edit_and_a_removal(tmp_path: Path) -> None:
    from _guards import corpora_fingerprint, differences

    (tmp_path / "vault").mkdir()
    note = tmp_path / "vault" / "n.md"
    note.write_text("abc\n")
    before = corpora_fingerprint(tmp_path)
    assert differences(before, corpora_fingerprint(tmp_path)) == []
    (tmp_path / "vault" / ".vaultbot_cache").mkdir()
    info = note.stat()
    note.write_text("abd\n")
    os.utime(note, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    changes = differences(before, corpora_fingerprint(tmp_path))
    assert changes == ["added vault/.vaultbot_cache", "changed vault", "changed vault/n.md"]
    note.unlink()
    assert "removed vault/n.md" in differences(before, corpora_fingerprint(tmp_path))


# -- SARIF against the official schema, on every supported Python ----------------------------


def test_sarif_output_validates_and_the_schema_can_reject(make_vault: VaultFactory) -> None:
    import jsonschema
    from test_github_action import SARIF_SCHEMA, validate_sarif

    vault = make_vault({"n.md": "[[Missing]] and [[T#Nowhere]]\n", "T.md": "# T\n"})
    out = vault.parent / "out.sarif"
    assert run_cli(vault, "check", "--no-cache", "--format", "sarif", "--output", str(out)) == 1
    document = json.loads(out.read_text())
    validate_sarif(document, expected_results=2)
    document["runs"][0]["results"][0]["level"] = "fatal"  # not a SARIF level
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(document)


# -- stub notes --------------------------------------------------------------------------------


def test_stub_notes_go_into_a_nested_folder_that_does_not_exist_yet(
    make_vault: VaultFactory,
) -> None:
    vault = make_vault(
        {
            "vaultbot.toml": GENERATED
            + '[rules.link-target-missing]\nstub-folder = "stubs/new/deep"\n',
            "n.md": "[[Café Topic]]\n",
        }
    )
    assert run_cli(vault, "fix", "--link-strategy", "stub", "--unsafe-fixes") == 1
    stub = vault / "stubs" / "new" / "deep" / "Café Topic.md"
    assert stub.read_bytes() == '---\ntitle: "Café Topic"\n---\n'.encode()
    assert fixes.create_note(vault / "brand" / "new.md", "x\n") is True
    assert fixes.create_note(vault / "brand" / "new.md", "y\n") is False
    assert (vault / "brand" / "new.md").read_text() == "x\n"


# -- GitHub annotations ----------------------------------------------------------------------


def test_github_annotations_carry_the_whole_span_and_the_level(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault(
        {
            "n.md": "See café [[Missing]]\n",
            "sub/m.md": "[[T#Nope]] and [[x]]\n",
            "T.md": "# T\n",
            "a/x.md": "",
            "b/x.md": "",
        }
    )
    assert run_cli(vault, "check", "--no-cache", "--format", "github") == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]
    assert lines == [
        "::error file=n.md,line=1,col=10,endLine=1,endColumn=21,"
        "title=LK001 link-target-missing::Link target 'Missing' does not exist",
        "::warning file=sub/m.md,line=1,col=1,endLine=1,endColumn=11,"
        "title=LK003 link-heading-missing::Heading 'Nope' not found in 'T.md'",
        "::notice file=sub/m.md,line=1,col=16,endLine=1,endColumn=21,"
        "title=LK004 link-ambiguous::Link 'x' matches 2 files ('a/x.md', 'b/x.md'); "
        "Obsidian opens 'a/x.md'",
    ]
