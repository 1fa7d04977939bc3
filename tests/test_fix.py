"""`vaultbot fix`: whole files compared before and after, byte for byte."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GENERATED, VaultFactory, findings, run, write_vault

from vaultbot import engine, fixes
from vaultbot.cli import main
from vaultbot.config import Config
from vaultbot.note import Note
from vaultbot.rules import Edit, Finding, Fix, Rule
from vaultbot.vault import Vault

ANCHOR = '<a class="yt-timestamp" data-t="{}">[{}]</a>'

SEED = (
    "---\ntitle: Progress\nvideoId: Wo95ob_s_NI\n---\n\n"
    "From: [[channel | The Channel]]\n\n"
    "Here is the modified article with inserted backlinks:\n\n"
    "The guest speaks " + ANCHOR.format("01:35:36", "01:35:36") + ".\n"
    "He estimates five years " + ANCHOR.format("00:35:45", "01:35:45") + ".\n"
    "Later " + ANCHOR.format("01:40:00", "01:40:00") + ".\n"
)
SEED_FIXED = (
    "---\ntitle: Progress\nvideoId: Wo95ob_s_NI\n---\n\n"
    "From: [[channel | The Channel]]\n\n"
    "The guest speaks " + ANCHOR.format("01:35:36", "01:35:36") + ".\n"
    "He estimates five years " + ANCHOR.format("01:35:45", "01:35:45") + ".\n"
    "Later " + ANCHOR.format("01:40:00", "01:40:00") + ".\n"
)


def fix(vault: Path, *args: str) -> int:
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        return main(["fix", *args])


@pytest.fixture
def seed_vault(make_vault: VaultFactory) -> Path:
    return make_vault({"channel.md": "# Channel\n", "seed.md": SEED})


def test_fixes_the_seed_note(seed_vault: Path) -> None:
    assert fix(seed_vault) == 1  # files changed
    assert (seed_vault / "seed.md").read_text() == SEED_FIXED
    assert fix(seed_vault) == 0  # a second run changes nothing and nothing remains
    assert (seed_vault / "seed.md").read_text() == SEED_FIXED


@pytest.mark.parametrize(
    ("name", "transform"),
    [
        ("crlf", lambda t: t.replace("\n", "\r\n")),
        ("bom", lambda t: "\ufeff" + t),
        ("no-final-newline", lambda t: t.rstrip("\n")),
        ("mixed-endings", lambda t: t.replace("\n", "\r\n", 3)),
    ],
)
def test_keeps_bytes_outside_the_edits(
    make_vault: VaultFactory, name: str, transform: object
) -> None:
    assert callable(transform)
    vault = make_vault({"channel.md": "# Channel\n", "seed.md": transform(SEED)})
    assert fix(vault) == 1
    expected = transform(SEED_FIXED)
    if name == "mixed-endings":  # the first three line breaks were CRLF; so are they still
        expected = SEED_FIXED.replace("\n", "\r\n", 3)
    assert (vault / "seed.md").read_bytes() == expected.encode("utf-8")


def test_keeps_file_mode(seed_vault: Path) -> None:
    note = seed_vault / "seed.md"
    note.chmod(0o640)
    assert fix(seed_vault) == 1
    assert stat.S_IMODE(note.stat().st_mode) == 0o640


def test_read_only_note_is_untouched(seed_vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = seed_vault / "seed.md"
    note.chmod(0o444)
    assert fix(seed_vault) == 2
    assert note.read_text() == SEED
    assert "seed.md: file is read-only; not written" in capsys.readouterr().err


def test_symlinked_note_stays_a_link(make_vault: VaultFactory) -> None:
    vault = make_vault({"channel.md": "# Channel\n", "real/seed.md": SEED})
    (vault / "link.md").symlink_to(vault / "real" / "seed.md")
    assert fix(vault, "link.md") == 1
    assert (vault / "link.md").is_symlink()
    assert (vault / "real" / "seed.md").read_text() == SEED_FIXED


def test_diff_writes_nothing(seed_vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert fix(seed_vault, "--diff") == 1
    out = capsys.readouterr().out
    assert "-Here is the modified article with inserted backlinks:" in out
    assert '+He estimates five years <a class="yt-timestamp" data-t="01:35:45">' in out
    assert out.rstrip().endswith("Would fix 2 issues in 1 note; 0 remaining.")
    assert (seed_vault / "seed.md").read_text() == SEED


@pytest.fixture
def diffs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The unified diffs the run computes in this process (a spy on `fixes.unified_diff`)."""
    made: list[str] = []
    real = fixes.unified_diff

    def spy(display: str, before: str, after: str) -> str:
        made.append(real(display, before, after))
        return made[-1]

    monkeypatch.setattr(fixes, "unified_diff", spy)
    return made


def test_diff_shows_exactly_the_unified_diff(
    seed_vault: Path, diffs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert fix(seed_vault, "--diff") == 1
    out = capsys.readouterr().out
    [made] = diffs  # one changed note, one diff
    assert made == fixes.unified_diff("seed.md", SEED, SEED_FIXED)
    assert out == made + "Would fix 2 issues in 1 note; 0 remaining.\n"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["fix"], "Fixed 2 issues in 1 note; 0 remaining."),
        (["clean", "--dry-run"], "Would fix 2 issues in 1 note; 0 remaining."),
        (["clean"], "Fixed 2 issues in 1 note; 0 remaining."),
    ],
)
def test_a_run_that_shows_no_diff_computes_none(
    seed_vault: Path,
    diffs: list[str],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    line: str,
) -> None:
    """difflib grows faster than the note: only `fix --diff`, which shows the diff, pays for it."""
    with pytest.MonkeyPatch.context() as m:
        m.chdir(seed_vault)
        assert main(args) == 1
    assert line in capsys.readouterr().out
    assert diffs == []
    dry = "--dry-run" in args
    assert (seed_vault / "seed.md").read_text() == (SEED if dry else SEED_FIXED)


def test_summary_line(seed_vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (seed_vault / "other.md").write_text("[[Missing]]\n")
    assert fix(seed_vault) == 1
    out = capsys.readouterr().out
    assert "other.md:1:1: LK001" in out
    assert out.rstrip().endswith("Fixed 2 issues in 1 note; 1 remaining.")


def test_select_limits_fixes(seed_vault: Path) -> None:
    assert fix(seed_vault, "--select", "TS002") == 1
    text = (seed_vault / "seed.md").read_text()
    assert "Here is the modified article" in text and 'data-t="01:35:45"' in text


def test_file_changed_on_disk_is_not_written(
    seed_vault: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_fix_note = fixes.fix_note

    def edit_meanwhile(note: Note, *args: object, **kwargs: object) -> fixes.FixOutcome:
        outcome = real_fix_note(note, *args, **kwargs)  # type: ignore[arg-type]
        (seed_vault / note.rel).write_text(SEED + "A line the user typed meanwhile.\n")
        return outcome

    monkeypatch.setattr(fixes, "fix_note", edit_meanwhile)
    assert fix(seed_vault, "seed.md") == 2
    assert (seed_vault / "seed.md").read_text() == SEED + "A line the user typed meanwhile.\n"
    assert "seed.md: changed on disk since it was read; not written" in capsys.readouterr().err


def test_file_removed_mid_run(
    seed_vault: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (seed_vault / "second.md").write_text(SEED)
    real_fix_note = fixes.fix_note

    def remove_meanwhile(note: Note, *args: object, **kwargs: object) -> fixes.FixOutcome:
        outcome = real_fix_note(note, *args, **kwargs)  # type: ignore[arg-type]
        if note.rel == "seed.md":
            (seed_vault / "seed.md").unlink()
        return outcome

    monkeypatch.setattr(fixes, "fix_note", remove_meanwhile)
    assert fix(seed_vault) == 2
    assert not (seed_vault / "seed.md").exists()
    assert (seed_vault / "second.md").read_text() == SEED_FIXED  # the rest is still fixed
    assert "seed.md: removed while vaultbot was fixing it" in capsys.readouterr().err


def test_no_temporary_files_are_left(seed_vault: Path) -> None:
    fix(seed_vault)
    assert sorted(p.name for p in seed_vault.iterdir()) == [".obsidian", "channel.md", "seed.md"]


# -- the fixes of each rule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # ED001: the line and one blank line beside it go
        ("From: [[c]]\n\nHere is the revised article:\n\nBody.\n", "From: [[c]]\n\nBody.\n"),
        (
            "---\nvideoId: abcdefghijk\n---\nBody.\n\nMore body.\n\nLet me know if you want more changes!\n",
            "---\nvideoId: abcdefghijk\n---\nBody.\n\nMore body.\n",
        ),
        # ED001 with the note's text going on after its colon: only the phrase goes, whatever
        # the markup or the separator; a line that is the model's all through goes whole
        (
            "From: [[c]]\n\nHere is the modified article with inserted backlinks: The guest "
            "argues that scaling matters.\n\nMore.\n",
            "From: [[c]]\n\nThe guest argues that scaling matters.\n\nMore.\n",
        ),
        (
            "From: [[c]]\n\n**Here is the revised article:** *The guest* argues.\u2028Yes.\n",
            "From: [[c]]\n\n*The guest* argues.\u2028Yes.\n",
        ),
        (
            "---\nvideoId: abcdefghijk\n---\nBody.\n\nNote: I've added backlinks to the "
            "article: [[a]], [[b]].\n",
            "---\nvideoId: abcdefghijk\n---\nBody.\n",
        ),
        # TS001: a sloppy spelling of the same instant is rewritten
        (ANCHOR.format("00:5:52", "00:05:52"), ANCHOR.format("00:05:52", "00:05:52")),
        (ANCHOR.format("00:05:52", "0:5:52"), ANCHOR.format("00:05:52", "00:05:52")),
        # TS003: the missing </a> or ] after a valid label
        (
            'x <a class="yt-timestamp" data-t="00:01:09">[00:01:09] and more\n',
            'x <a class="yt-timestamp" data-t="00:01:09">[00:01:09]</a> and more\n',
        ),
        (
            'x <a class="yt-timestamp" data-t="00:01:09">[00:01:09</a>.\n',
            'x <a class="yt-timestamp" data-t="00:01:09">[00:01:09]</a>.\n',
        ),
        # TS002: a range end seconds after its start decides
        (
            ANCHOR.format("01:21:22", "00:21:22") + " - " + ANCHOR.format("01:21:51", "01:21:51"),
            ANCHOR.format("01:21:22", "01:21:22") + " - " + ANCHOR.format("01:21:51", "01:21:51"),
        ),
        # TS004: canonical spelling, the label deciding what MM:SS meant
        (ANCHOR.format("34:29", "34:29"), ANCHOR.format("00:34:29", "00:34:29")),
        (ANCHOR.format("12:24", "00:12:24"), ANCHOR.format("00:12:24", "00:12:24")),
        (ANCHOR.format("01:15", "01:15:00"), ANCHOR.format("01:15:00", "01:15:00")),
        (ANCHOR.format("1:31:11", "01:31:11"), ANCHOR.format("01:31:11", "01:31:11")),
        (ANCHOR.format("00:11:00", "0:11:00"), ANCHOR.format("00:11:00", "00:11:00")),
        # TS005: the canonical anchor is rebuilt; a swallowed `]]` goes back after it
        (
            'x <a class_yt-timestamp" data-t="00:13:05">[00:13:05]</a>.\n',
            "x " + ANCHOR.format("00:13:05", "00:13:05") + ".\n",
        ),
        (
            'See [[indiapakistan_relations | <a class="yt-timestamp" data-t="00:53:59]]</a>.\n',
            "See [[indiapakistan_relations | " + ANCHOR.format("00:53:59", "00:53:59") + "]].\n",
        ),
        (
            'x [01:22:00](<a class="yt-timestamp" data-t="01:22:00">22:00</a>).\n',
            "x " + ANCHOR.format("01:22:00", "01:22:00") + ".\n",
        ),
        # TS006: a bare label in a note about a video gets its anchor
        (
            "---\nvideoId: abcdefghijk\n---\nLater [00:12:10] - [00:12:40].\n",
            "---\nvideoId: abcdefghijk\n---\nLater "
            + ANCHOR.format("00:12:10", "00:12:10")
            + " - "
            + ANCHOR.format("00:12:40", "00:12:40")
            + ".\n",
        ),
        # TS005: an anchor wrapped in a Markdown link whose `(` never closes, in every item
        (
            '- a [00:22:40](<a class="yt-timestamp" data-t="00:22:40">[00:22:40]</a>, '
            '[00:22:48](<a class="yt-timestamp" data-t="00:22:48">[00:22:48]</a>.\n'
            '- b [00:23:45](<a class="yt-timestamp" data-t="00:23:45">[00:23:45]</a>.\n',
            "- a "
            + ANCHOR.format("00:22:40", "00:22:40")
            + ", "
            + ANCHOR.format("00:22:48", "00:22:48")
            + ".\n- b "
            + ANCHOR.format("00:23:45", "00:23:45")
            + ".\n",
        ),
        # TS005: a range broken across its anchors is rebuilt as one range
        (
            'x [00:09:17](<a class="yt-timestamp" data-t="00:09:17">00:09:17>)-[00:09:21]('
            '<a class="yt-timestamp" data-t="00:09:21">00:09:21</a>).\n',
            "x "
            + ANCHOR.format("00:09:17", "00:09:17")
            + "-"
            + ANCHOR.format("00:09:21", "00:09:21")
            + ".\n",
        ),
        # TS005: a broken tag no `</a>` closes takes its label along, never doubling it
        (
            'x <a class="yt-timestamp" data="00:01:02">[00:01:02] and y <a class="yt-timestamp" '
            'data="00:02:03">00:02:03.\n',
            "x "
            + ANCHOR.format("00:01:02", "00:01:02")
            + " and y "
            + ANCHOR.format("00:02:03", "00:02:03")
            + ".\n",
        ),
        # TS008: the brackets go inside the anchor, never doubled
        (
            'x [<a class="yt-timestamp" data-t="00:34:54">00:34:54</a>].\n',
            "x " + ANCHOR.format("00:34:54", "00:34:54") + ".\n",
        ),
        (
            'x <a class="yt-timestamp" data-t="00:34:54">00:34:54</a>.\n',
            "x " + ANCHOR.format("00:34:54", "00:34:54") + ".\n",
        ),
        (
            'x [<a class="yt-timestamp" data-t="00:34:54">[00:34:54]</a>].\n',
            "x " + ANCHOR.format("00:34:54", "00:34:54") + ".\n",
        ),
        (
            'x [<a class="yt-timestamp" data-t="00:39:31">00:39:31</a>; '
            '<a class="yt-timestamp" data-t="00:47:06">00:47:06</a>].\n',
            "x "
            + ANCHOR.format("00:39:31", "00:39:31")
            + "; "
            + ANCHOR.format("00:47:06", "00:47:06")
            + ".\n",
        ),
        # TS008 with TS004: a short label gets its brackets and its canonical spelling
        (
            'x <a class="yt-timestamp" data-t="00:06:02">06:02</a>.\n',
            "x " + ANCHOR.format("00:06:02", "00:06:02") + ".\n",
        ),
        # TS001: an empty label is written from a canonical data-t
        (
            'x <a class="yt-timestamp" data-t="00:40:07"></a>, '
            '<a class="yt-timestamp" data-t="00:41:00">[]</a>.\n',
            "x "
            + ANCHOR.format("00:40:07", "00:40:07")
            + ", "
            + ANCHOR.format("00:41:00", "00:41:00")
            + ".\n",
        ),
        # TS009: a fake timestamp link becomes an anchor in a note about a video
        (
            "---\nvideoId: abcdefghijk\n---\nSee [00:48:21](#t=00:48:21).\n",
            "---\nvideoId: abcdefghijk\n---\nSee " + ANCHOR.format("00:48:21", "00:48:21") + ".\n",
        ),
        # ... and so does a time link to a YouTube address of no video, or to a bare `#`
        (
            "---\nvideoId: abcdefghijk\n---\nSee [00:01:02](https://youtube.com/watch?v=00:01:02)"
            "-[00:01:09](https://youtube.com/watch?v=00:01:09), [00:02:00](#).\n",
            "---\nvideoId: abcdefghijk\n---\nSee "
            + ANCHOR.format("00:01:02", "00:01:02")
            + "-"
            + ANCHOR.format("00:01:09", "00:01:09")
            + ", "
            + ANCHOR.format("00:02:00", "00:02:00")
            + ".\n",
        ),
        # TS006: a list of bare labels and a short bare label
        (
            "---\nvideoId: abcdefghijk\n---\nAt [00:00:33, 00:01:54] and [07:25].\n",
            "---\nvideoId: abcdefghijk\n---\nAt "
            + ANCHOR.format("00:00:33", "00:00:33")
            + ", "
            + ANCHOR.format("00:01:54", "00:01:54")
            + " and "
            + ANCHOR.format("00:07:25", "00:07:25")
            + ".\n",
        ),
        # LK001 relink: exactly one note matches after folding; the visible text stays
        (
            "See [[india_pakistan_relations]].\n",
            "See [[indiapakistan_relations|india_pakistan_relations]].\n",
        ),
        ("See [[Meta's Plans | plans]].\n", "See [[metas_plans | plans]].\n"),
        (
            "| a |\n|---|\n| [[INDIA-Pakistan relations\\|x]] |\n",
            "| a |\n|---|\n| [[indiapakistan_relations\\|x]] |\n",
        ),
        (
            "See [t](India%20Pakistan%20Relations.md#h).\n",
            "See [t](indiapakistan_relations.md#h).\n",
        ),
    ],
)
def test_rule_fixes(make_vault: VaultFactory, before: str, after: str) -> None:
    files = {"note.md": before, "indiapakistan_relations.md": "x\n", "metas_plans.md": "x\n"}
    vault = make_vault(files)
    fix(vault, "note.md")
    assert (vault / "note.md").read_text() == after


@pytest.mark.parametrize(
    "text",
    [
        ANCHOR.format("HH:MM:SS", "00:05:52"),  # TS001: which instant was meant is unknown
        ANCHOR.format("00:5:52", "00:06:52"),  # a sloppy spelling of another instant
        'x <a class="yt-timestamp" data-t="00:01:09">[soon and more\n',  # TS003: no valid label
        '<a class="yt-timestamp" data-t="40:07"></a>\n',  # TS001: which instant is 40:07?
        "[[Nothing Like It]]\n",  # LK001: no note matches
        "[[india pakistan]]\n",  # two notes fold to the same name: ambiguous
        "[[C++ string]]\n",  # `+` is not folded away: C++ is not C
        "See [00:48:21](#t=00:48:21).\n",  # TS009 without a video: nothing to seek in
        "---\nvideoId: abcdefghijk\n---\nSee [00:48:21](#t=00:48:22).\n",  # which instant?
        # a link to another real-looking video: the anchor would seek in this one instead
        "---\nvideoId: abcdefghijk\n---\nSee [00:48:21](https://youtu.be/zyxwvutsrqp).\n",
        "---\nvideoId: abcdefghijk\n---\nSee [00:48:21](#t=HH:MM:SS).\n",  # no instant to trust
        # TS002: a run of anchors all off by one hour; both readings are self-consistent
        " ".join(ANCHOR.format(f"00:0{i}:00", f"01:0{i}:00") for i in range(1, 5)) + "\n",
    ],
)
def test_no_safe_fix(make_vault: VaultFactory, text: str) -> None:
    vault = make_vault(
        {
            "note.md": text,
            "India_Pakistan.md": "x\n",
            "india-pakistan.md": "x\n",
            "C String.md": "x\n",
        }
    )
    assert fix(vault, "note.md") == 1  # findings remain
    assert (vault / "note.md").read_text() == text


def test_unsafe_fixes_need_the_flag(make_vault: VaultFactory) -> None:
    text = "Text " + ANCHOR.format("00:01:00", "01:01:00") + ".\n"
    vault = make_vault(
        {"vaultbot.toml": '[rules.timestamp-mismatch]\nprefer = "label"\n', "n.md": text}
    )
    assert fix(vault) == 1
    assert (vault / "n.md").read_text() == text
    assert fix(vault, "--unsafe-fixes") == 1
    assert (vault / "n.md").read_text() == "Text " + ANCHOR.format("01:01:00", "01:01:00") + ".\n"


def test_link_strategy_unlink(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "A [[Nowhere | the place]] and [[Gone]] and [x](Lost.md).\n"})
    assert fix(vault, "--link-strategy", "unlink") == 1  # unsafe: nothing without the flag
    assert fix(vault, "--link-strategy", "unlink", "--unsafe-fixes") == 1
    assert (vault / "n.md").read_text() == "A the place and Gone and x.\n"
    assert findings(vault) == []


def test_link_strategy_stub(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {"vaultbot.toml": GENERATED + '[rules.link-target-missing]\nstub-folder = "stubs"\n',
         "n.md": "[[New Topic]] and [[New Topic|again]]\n", "m.md": "[[New Topic]]\n"}
    )  # fmt: skip
    assert fix(vault, "--link-strategy", "stub", "--unsafe-fixes") == 1
    assert (vault / "stubs" / "New Topic.md").read_text() == '---\ntitle: "New Topic"\n---\n'
    assert (vault / "n.md").read_text() == "[[New Topic]] and [[New Topic|again]]\n"
    assert findings(vault) == []


def test_stub_never_overwrites(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "[[sub/Thing]]\n", "Thing.txt": "keep\n"})
    (vault / "sub").mkdir()
    assert fixes.create_note(vault / "Thing.txt", "new") is False
    assert (vault / "Thing.txt").read_text() == "keep\n"


# -- the fixer's own guards ------------------------------------------------------------------


class _Growing(Rule):
    """Adds a character forever.

    ## What it does
    ## Why is this bad?
    ## Example
    ## Fix safety
    """

    code, name = "ZZ001", "growing"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        yield self.finding(0, 0, "grow", Fix("safe", (Edit(0, 0, "x"),)))


class _Breaking(Rule):
    """Inserts a backtick that turns the rest of the line, links and all, into code.

    ## What it does
    ## Why is this bad?
    ## Example
    ## Fix safety
    """

    code, name = "ZZ002", "breaking"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        if not note.text.startswith("`"):
            yield self.finding(0, 1, "break", Fix("safe", (Edit(0, 0, "`"),)))


def _run_rule(vault: Path, rule: Rule) -> engine.Report:
    v = Vault.scan(vault)
    return engine.run(engine.Job(v, [rule], vault, fix=True), ["n.md"], jobs=1)


def test_fixes_that_never_converge_leave_the_note_alone(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "text\n"})
    report = _run_rule(vault, _Growing())
    assert (vault / "n.md").read_text() == "text\n"
    [error] = report.all_errors
    assert error == (
        "n.md: fixes did not converge after 100 rounds; the note was not changed (please "
        "report this as a bug)"
    )


def test_meaning_guard_refuses_to_write(make_vault: VaultFactory) -> None:
    text = "About [[Target]] and a stray ` tick.\n"
    vault = make_vault({"n.md": text, "Target.md": "x\n"})
    report = _run_rule(vault, _Breaking())
    assert (vault / "n.md").read_text() == text
    [error] = report.all_errors
    assert "a fix would change what the note means outside the edited text" in error
    assert "link wikilink Target" in error


def test_overlapping_fixes_apply_in_rounds() -> None:
    text = "abcdef"
    first = Fix("safe", (Edit(1, 3, "X"),))
    second = Fix("safe", (Edit(2, 4, "Y"),))
    third = Fix("safe", (Edit(5, 5, "Z"),))
    new, taken, _ = fixes.apply_fixes(text, [second, third, first])
    assert new == "aXdeZf" and taken == [first, third]


def test_write_atomic_leaves_old_or_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"old")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        fixes.write_atomic(note, b"new", b"old")
    assert note.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["n.md"]


# -- which fixes clash: every edit is taken unless it overlaps one already taken -------------


@pytest.mark.parametrize(
    ("fixes_edits", "expected"),
    [
        ([[(2, 2, "X")], [(2, 2, "Y")]], "abXcdefgh"),  # insertions at one point clash
        ([[(2, 2, "X")], [(3, 3, "Y")]], "abXcYdefgh"),
        ([[(2, 4, "X")], [(2, 2, "Y")]], "abXefgh"),  # an insertion where a replacement starts
        ([[(2, 2, "Y")], [(2, 4, "X")]], "abYcdefgh"),  # … whichever comes first
        ([[(2, 5, "X")], [(3, 3, "Y")]], "abXfgh"),  # an insertion inside a replacement
        ([[(2, 4, "X")], [(4, 4, "Y")]], "abXYefgh"),  # … at its end: no clash
        ([[(0, 1, "A"), (4, 4, "Y")], [(2, 4, "X")]], "AbXYefgh"),  # (taken first)
        ([[(1, 3, "X")], [(3, 5, "Y")]], "aXYfgh"),  # adjacent replacements
        ([[(0, 1, "A"), (3, 5, "Y")], [(1, 3, "X")]], "AXYfgh"),  # (the later one taken first)
        ([[(1, 3, "X")], [(2, 4, "Y")]], "aXdefgh"),  # overlapping replacements
    ],
)
def test_which_fixes_clash(fixes_edits: list[list[tuple[int, int, str]]], expected: str) -> None:
    chosen = [Fix("safe", tuple(Edit(*edit) for edit in edits)) for edits in fixes_edits]
    assert fixes.apply_fixes("abcdefgh", chosen)[0] == expected


# -- what the writer refuses, by name -------------------------------------------------------


def test_refusals_name_the_note_as_shown(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"now")
    with pytest.raises(fixes.FixError) as raised:
        fixes.write_atomic(note, b"new", b"old", "shown/n.md")
    assert str(raised.value) == "shown/n.md: changed on disk since it was read; not written"
    with pytest.raises(fixes.FixError) as raised:
        fixes.write_atomic(note, b"new", b"old")
    assert str(raised.value) == f"{note}: changed on disk since it was read; not written"
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "link.md").symlink_to(note)
    with pytest.raises(fixes.FixError) as raised:
        fixes.write_atomic(vault / "link.md", b"new", b"now", "link.md", vault)
    assert str(raised.value) == "link.md: not written: links outside the vault"
    assert note.read_bytes() == b"now"


def test_stub_refusals(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    with pytest.raises(fixes.FixError) as raised:
        fixes.create_note(vault / ".." / "Out.md", "x", vault)
    assert str(raised.value) == "Out.md: not created: the path leaves the vault"
    with pytest.raises(fixes.FixError) as raised:
        fixes.create_note(vault / "a\x00b.md", "x", vault)
    assert str(raised.value) == "'a\\x00b.md': not created: the name holds a NUL character"
    assert sorted(tmp_path.rglob("*")) == [vault]


def test_written_note_keeps_at_least_its_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the OS refuses to give the new file the note's owner (a user fixing a note owned
    by another), it still gets the note's group. Run as root, the refusal is simulated."""
    note = tmp_path / "n.md"
    note.write_bytes(b"old")
    info = note.stat()
    calls: list[tuple[int, int]] = []
    real_chown = os.chown

    def chown(path: str, uid: int, gid: int) -> None:
        calls.append((uid, gid))
        if uid != -1:
            raise PermissionError(1, "Operation not permitted")
        real_chown(path, uid, gid)

    monkeypatch.setattr(os, "chown", chown)
    fixes.write_atomic(note, b"new", b"old")
    assert calls == [(info.st_uid, info.st_gid), (-1, info.st_gid)]
    assert note.read_bytes() == b"new"


def test_unified_diff_is_exact() -> None:
    assert fixes.unified_diff("d/n.md", "a\nb\n", "a\nc") == (
        "--- a/d/n.md\n+++ b/d/n.md\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n"
    )


def test_a_note_replaced_by_a_folder_is_not_read(tmp_path: Path) -> None:
    """Only a regular file is read again before the write (a FIFO would hang the run)."""
    note = tmp_path / "n.md"
    note.mkdir()
    original = b"x" * note.stat().st_size  # even of the folder's size
    for read in (original, b"x"):
        with pytest.raises(fixes.FixError) as raised:
            fixes.write_atomic(note, b"new", read, "n.md")
        assert str(raised.value) == "n.md: changed on disk since it was read; not written"


def test_a_note_with_two_hard_links_is_not_written(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"old")
    os.link(note, tmp_path / "other.md")
    with pytest.raises(fixes.FixError) as raised:
        fixes.write_atomic(note, b"new", b"old", "n.md")
    assert str(raised.value) == (
        "n.md: has 2 hard links; not written (replacing the file would split them)"
    )
    assert (tmp_path / "other.md").read_bytes() == note.read_bytes() == b"old"


def test_the_temporary_file_is_named_and_placed_for_cleanup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new content goes to `.NAME.XXXXXXXX.vaultbot.tmp` beside the note (the name an
    interrupted run's leftovers are recognised by), then replaces the note. A vault folder
    whose name ends in a space is still the vault."""
    vault = tmp_path / "vault "
    vault.mkdir()
    note = vault / "n.md"
    note.write_bytes(b"old")
    moves: list[tuple[str, str]] = []
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        moves.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    fixes.write_atomic(note, b"new", b"old", "n.md", vault)
    [(src, dst)] = moves
    assert dst == str(note) and Path(src).parent == vault
    assert re.fullmatch(r"\.n\.md\.[a-z0-9_]{8}\.vaultbot\.tmp", Path(src).name)
    assert fixes.remove_stale_temps([vault]) == []
    assert note.read_bytes() == b"new"
    assert fixes.is_inside(Path(os.path.realpath(vault)), vault)


def test_a_note_edited_during_the_write_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"old")
    real_keep_owner = fixes._keep_owner

    def keep_owner_while_the_user_types(path: str, info: os.stat_result) -> None:
        note.write_bytes(b"old, and typed meanwhile")
        real_keep_owner(path, info)

    monkeypatch.setattr(fixes, "_keep_owner", keep_owner_while_the_user_types)
    with pytest.raises(fixes.FixError) as raised:
        fixes.write_atomic(note, b"new", b"old", "n.md")
    assert str(raised.value) == "n.md: changed on disk while vaultbot was fixing it; not written"
    assert note.read_bytes() == b"old, and typed meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["n.md"]


def test_fixes_are_taken_in_text_order() -> None:
    """A fix without edits (it only creates a note) sorts first; the rest by their first edit."""
    late, early, creates = (
        Fix("safe", (Edit(5, 6, "L"), Edit(1, 1, "E"))),
        Fix("safe", (Edit(3, 3, "M"),)),
        Fix("safe", (), creates=(("New.md", "x\n"),)),
    )
    text, taken, edits = fixes.apply_fixes("abcdefgh", [early, late, creates])
    assert taken == [creates, late, early]
    assert [(e.start, e.end) for e in edits] == [(1, 1), (3, 3), (5, 6)]
    assert text == "aEbcMdeLgh"


# -- the convergence loop, with rules made for it -------------------------------------------


class _Debris(Rule):
    """Deletes a `DEBRIS` line while the note holds two of them.

    ## What it does
    ## Why is this bad?
    ## Example
    ## Fix safety
    """

    code, name = "ZZ004", "debris"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        starts = [m.start() for m in re.finditer(r"^DEBRIS\n", note.text, re.M)]
        for start in starts:
            fix = Fix("safe", (Edit(start, start + 7, ""),)) if len(starts) > 1 else None
            yield self.finding(start, start + 6, "debris", fix)


class _Misc(Rule):
    """A no-op safe fix, an unsafe fix, and fixes that only create notes.

    ## What it does
    ## Why is this bad?
    ## Example
    ## Fix safety
    """

    code, name = "ZZ005", "misc"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        yield self.finding(0, 1, "no-op", Fix("safe", (Edit(0, 1, note.text[0]),)))
        yield self.finding(1, 2, "unsafe", Fix("unsafe", (Edit(1, 2, "U"),)))
        for rel in ("A.md", "B.md", "A.md"):
            yield self.finding(2, 3, "stub", Fix("safe", (), creates=((rel, f"# {rel}\n"),)))


def test_fixes_that_clash_together_are_applied_in_rounds() -> None:
    """Deleting both debris lines would turn the bullet below into an indented code block
    (and its link into code); one at a time, each round keeps the meaning."""
    text = "DEBRIS\nDEBRIS\n    * [[Target]]\n"
    vault = Vault.from_files(Path("vault"), ("n.md", "Target.md"))
    outcome = fixes.fix_note(Note("n.md", text), vault, [_Debris()])
    assert outcome.note.text == "DEBRIS\n    * [[Target]]\n"
    assert dict(outcome.fixed) == {"ZZ004": 1}
    assert [(f.start, f.fix) for f in outcome.remaining] == [(0, None)]


def test_what_a_round_counts_and_leaves() -> None:
    """A safe fix that changes nothing ends the loop with its finding remaining; an unsafe
    fix waits for `unsafe`; each note a fix creates counts once."""
    vault = Vault.from_files(Path("vault"), ("n.md",))
    outcome = fixes.fix_note(Note("n.md", "abc\n"), vault, [_Misc()])
    assert outcome.note.text == "abc\n"
    assert [f.message for f in outcome.remaining] == ["no-op", "unsafe"]
    assert outcome.creates == {"A.md": "# A.md\n", "B.md": "# B.md\n"}
    assert dict(outcome.fixed) == {"ZZ005": 2}
    unsafe = fixes.fix_note(Note("n.md", "abc\n"), vault, [_Misc()], unsafe=True)
    assert unsafe.note.text == "aUc\n"


def test_a_rule_fixed_twice_counts_twice() -> None:
    text = "At " + ANCHOR.format("00:5:52", "00:05:52") + " " + ANCHOR.format("00:6:01", "00:06:01")
    vault = Vault.from_files(Path("vault"), ("n.md",))
    outcome = fixes.fix_note(Note("n.md", text + ".\n"), vault, Config().rules())
    assert dict(outcome.fixed) == {"TS001": 2}
    assert [code for code, _, _ in outcome.applied] == ["TS001", "TS001"]


def test_stale_temporary_files_are_removed(tmp_path: Path) -> None:
    """Only regular files named as vaultbot names them, in the folders given (a missing one
    is skipped); not a symlink so named, nor a folder."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    stale = [a / ".n.md.abcd1234.vaultbot.tmp", b / ".m.md.zz_9zz_9.vaultbot.tmp"]
    for path in stale:
        path.write_text("partial")
    keep = b / "keep.md"
    keep.write_text("note")
    (b / ".l.md.linklink.vaultbot.tmp").symlink_to(keep)
    (a / ".d.md.folder00.vaultbot.tmp").mkdir()
    (a / "n.md.abcd1234.vaultbot.tmp").write_text("not hidden: not ours")
    removed = fixes.remove_stale_temps([a, tmp_path / "missing", b])
    assert removed == [str(p) for p in stale]
    assert not any(p.exists() for p in stale)
    assert sorted(p.name for p in (*a.iterdir(), *b.iterdir())) == [
        ".d.md.folder00.vaultbot.tmp", ".l.md.linklink.vaultbot.tmp", "keep.md",
        "n.md.abcd1234.vaultbot.tmp",
    ]  # fmt: skip


def test_fix_commit_outside_git_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`fix --commit` in a vault that is not in a git repository stops before writing, one
    line, exit 2 (it fixed every note, then failed to commit them: the user asked for the
    fixes as a commit, and got them uncommitted)."""
    note = "Here is the modified article with inserted backlinks:\n\n[00:01:00] x\n"
    write_vault(tmp_path, {"n.md": "---\nvideoId: abcdefghijk\n---\n" + note})
    before = (tmp_path / "n.md").read_bytes()
    code, out, err = run(tmp_path, capsys, "fix", "--commit")
    assert (code, out) == (2, "")
    assert err == f"vaultbot: error: {tmp_path}: not inside a git repository\n"
    assert (tmp_path / "n.md").read_bytes() == before
    assert run(tmp_path, capsys, "fix")[0] == 1 and (tmp_path / "n.md").read_bytes() != before
