"""The command line: formats, exit codes, vault root, rules and explain."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import GENERATED, VaultFactory, check_json, generated_config, run, write_vault

from vaultbot.output import FORMATTERS
from vaultbot.rules import ALL_RULES

NOTE = (
    "---\ntitle: T\nvideoId: abcdefghijk\n---\n\n"
    "Here is the modified article with inserted backlinks:\n\n"
    'Text <a class="yt-timestamp" data-t="00:35:45">[01:35:45]</a> and [[Missing]].\n'
)


def test_text_format_shows_source_and_caret(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": NOTE}, profile="auto")
    code, out, _ = run(vault, capsys, "check")
    assert code == 1
    assert "n.md:8:6: TS002 error: Timestamp data-t 00:35:45 but label [01:35:45]" in out
    assert "n.md:6:1: ED001 [*] error: Editorial line" in out  # [*]: `vaultbot fix` fixes it
    assert "\nhelp: Delete the editorial line\n" in out
    caret_block = out.split("n.md:8:6: TS002")[1].split("\n\n")[0]
    source_line = next(line for line in caret_block.splitlines() if line.startswith(" 8 |"))
    caret_line = next(line for line in caret_block.splitlines() if "^" in line)
    col = caret_line.index("^")
    assert source_line[col:].startswith('<a class="yt-timestamp"')
    assert out.rstrip().endswith(
        "Found 3 findings (3 errors) in 1 of 1 note.\n[*] 1 fixable with `vaultbot fix`.\n"
        "Profile: generated vault (detected: 1 of 1 sampled notes bear generator signals)."
    )


def test_concise_format(make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]) -> None:
    vault = make_vault({"n.md": NOTE})
    _code, out, _ = run(vault, capsys, "check", "--format", "concise")
    assert out.splitlines()[:3] == [
        "n.md:6:1: ED001 [*] [editorial-line] error: Editorial line (the model presenting its"
        " edited text)",
        "n.md:8:6: TS002 [timestamp-mismatch] error: Timestamp data-t 00:35:45 but label"
        " [01:35:45]; the note does not show which is right",
        "n.md:8:67: LK001 [link-target-missing] error: Link target 'Missing' does not exist",
    ]


def test_json_schema(make_vault: VaultFactory) -> None:
    vault = make_vault({"sub/n.md": NOTE})
    code, doc = check_json(vault)
    assert code == 1 and doc["version"] == 1
    first = doc["findings"][0]
    assert set(first) == {
        "path", "line", "column", "end_line", "end_column", "rule", "code", "severity",
        "message", "fix", "url",
    }  # fmt: skip
    assert (
        first["url"]
        == "https://github.com/vaultbot/vaultbot/blob/main/docs/rules/editorial-line.md"
    )
    assert first["path"] == "sub/n.md"
    assert (first["line"], first["column"], first["end_line"]) == (6, 1, 6)
    assert first["end_column"] == 1 + len("Here is the modified article with inserted backlinks:")
    assert (first["rule"], first["code"], first["severity"]) == ("editorial-line", "ED001", "error")
    assert doc["summary"]["findings"] == 3
    assert doc["summary"]["by_rule"] == {
        "editorial-line": 1, "link-target-missing": 1, "timestamp-mismatch": 1
    }  # fmt: skip


def test_paths_are_relative_to_the_current_folder(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"deep/er/n.md": NOTE})
    _code, out, _ = run(vault / "deep", capsys, "check", "--format", "concise", "er")
    assert out.startswith("er/n.md:6:1: ED001")


def test_exit_codes(make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]) -> None:
    vault = make_vault({"clean.md": "# Clean\n\nNothing wrong.\n", "bad.md": NOTE})
    assert run(vault, capsys, "check", "clean.md")[0] == 0
    assert run(vault, capsys, "check", "bad.md")[0] == 1
    assert run(vault, capsys, "check", "--exit-zero", "bad.md")[0] == 0
    assert run(vault, capsys, "check", "--select", "NOPE")[0] == 2
    assert run(vault, capsys, "check", "--format", "xml")[0] == 2


def test_select_and_ignore(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": NOTE})
    codes = lambda *args: [f["code"] for f in check_json(vault, *args)[1]["findings"]]  # noqa: E731
    assert codes("--select", "TS") == ["TS002"]
    assert codes("--select", "timestamp-mismatch,LK001") == ["TS002", "LK001"]
    assert codes("--ignore", "ED001", "--ignore", "link-target-missing") == ["TS002"]


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, capsys, "rules")
    assert code == 0
    for rule in ALL_RULES:
        assert f"{rule.code}  {rule.name}" in out


@pytest.mark.parametrize("key", ["TS002", "ts002", "timestamp-mismatch"])
def test_explain(capsys: pytest.CaptureFixture[str], tmp_path: Path, key: str) -> None:
    code, out, _ = run(tmp_path, capsys, "explain", key)
    assert code == 0
    assert out.startswith("# timestamp-mismatch (TS002)")
    assert "## Why is this bad?" in out


def test_explain_unknown(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(tmp_path, capsys, "explain", "nope")
    assert code == 2 and "unknown rule 'nope'" in err


def test_vault_root_is_the_nearest_obsidian_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Run from a sub-folder: links still resolve against the whole vault.
    root = write_vault(tmp_path / "v", {"Target.md": "x\n", "sub/n.md": "[[Target]] [[Nope]]\n"})
    generated_config(tmp_path)
    _code, out, _ = run(root / "sub", capsys, "check", "--format", "concise")
    assert (
        out.splitlines()[0]
        == "n.md:1:12: LK001 [link-target-missing] error: Link target 'Nope' does not exist"
    )
    assert out.splitlines()[1].startswith("Found 1 finding")


def test_vault_root_falls_back_to_git_top_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    (repo / "notes").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "Target.md").write_text("x\n")
    (repo / "notes" / "n.md").write_text("[[Target]]\n")
    generated_config(tmp_path)
    assert run(repo / "notes", capsys, "check")[0] == 0
    # --vault-root overrides: with the sub-folder as root, Target is missing.
    assert run(repo / "notes", capsys, "check", "--vault-root", ".")[0] == 1


def test_vault_root_falls_back_to_current_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "a.md").write_text("[[b]]\n")
    (folder / "b.md").write_text("x\n")
    generated_config(tmp_path)  # were [[b]] not resolved, it would be an error
    assert run(folder, capsys, "check")[0] == 0


def test_paths_that_cannot_be_checked_and_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each path named that is outside the vault, unreadable or not a note is said so, and
    the paths after it are still checked."""
    write_vault(tmp_path / "v", {"a.md": "[[Gone]]\n", "notes.txt": "[[Gone]]\n"})
    generated_config(tmp_path)
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "n.md").write_text("x\n")
    long = "v/" + "x" * 5000 + ".md"
    code, out, err = run(
        tmp_path, capsys, "check", "--no-cache", "--format", "concise", "--vault-root", "v",
        "o/n.md", long, "v/notes.txt", "v/a.md",
    )  # fmt: skip
    assert code == 2
    assert err.splitlines() == [
        "vaultbot: warning: v/notes.txt: not checked (only .md files are notes)",
        f"vaultbot: error: o/n.md: not inside the vault root {tmp_path / 'v'}",
        f"vaultbot: error: {long}: cannot read (File name too long)",
    ]
    assert [line.split(" ")[0] for line in out.splitlines() if line.startswith("v/")] == [
        "v/a.md:1:1:"
    ]


def test_a_vault_named_through_a_symlinked_folder_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A vault reached through a symbolic link (`~/Notes` linking to a synced folder, macOS's
    `/tmp` to `/private/tmp`) is checked like the folder itself: the root found is the real
    folder, and the path named must not then count as outside it."""
    write_vault(tmp_path / "real" / "v", {".obsidian/app.json": "{}", "a.md": "[[ ]]\n"})
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "v").symlink_to(tmp_path / "real" / "v", target_is_directory=True)
    for named in ("link/v", "v", "link/v/a.md"):
        code, out, err = run(tmp_path, capsys, "check", "--no-cache", "--format", "concise", named)
        assert (code, err) == (1, ""), named
        assert "a.md:1:1: LK002" in out, named


def test_a_folder_named_selects_its_notes_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_vault(tmp_path / "v", {"sub/a.md": "[[Gone]]\n", "b.md": "[[Gone]]\n"})
    generated_config(tmp_path)
    code, out, _ = run(root, capsys, "check", "--no-cache", "--format", "concise", "sub")
    assert code == 1
    assert [line.split(" ")[0] for line in out.splitlines() if ".md:" in line] == ["sub/a.md:1:1:"]


def test_a_config_file_named_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_vault(tmp_path / "v", {"a.md": "[[Gone]]\n", "vaultbot.toml": GENERATED})
    (tmp_path / "other.toml").write_text(GENERATED + 'ignore = ["LK001"]\n')
    assert run(root, capsys, "check", "--no-cache")[0] == 1
    assert run(root, capsys, "check", "--no-cache", "--config", "../other.toml")[0] == 0


def test_output_file(make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]) -> None:
    vault = make_vault({"n.md": NOTE})
    code, out, _ = run(vault, capsys, "check", "--format", "json", "--output", "out.json")
    assert code == 1 and out == ""
    assert json.loads((vault / "out.json").read_text())["summary"]["findings"] == 3


def test_console_script_runs(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": NOTE})
    done = subprocess.run(
        [str(Path(sys.executable).parent / "vaultbot"), "check", "--format", "concise"],
        cwd=vault,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    assert "n.md:8:6: TS002" in done.stdout


# -- one vault with a finding of each severity, safe and unsafe fixes, a multi-line finding ----

WRAPPED = "```markdown\n# Title\n\nBody.\n```\n"
MIXED = {
    # LK003 (warning), LK004 (info) and LK001 (error), on one line of a non-ASCII name
    "café.md": "# Café\n\nSee [[ok#Nope]] and [[dup]] and [[Missing]].\n",
    "ok.md": "x\n",
    "a/dup.md": "a\n",
    "b/dup.md": "b\n",
    "e.md": "Here is the modified article with inserted backlinks:\n\nText.\n",  # ED001, unsafe
    "h.md": "---\ntitle: T\n---\n\nIntro.\n\n## S\n\nText.\n\n# Stray\n\nMore.\n",  # MD001, unsafe
    "w.md": WRAPPED,  # ED002 over lines 1-5, a safe fix
    "w2.md": WRAPPED,
}


def sgr(text: str, *codes: int) -> str:
    """`text` styled as click styles it: one escape a code, then a reset."""
    return "".join(f"\x1b[{code}m" for code in codes) + text + "\x1b[0m"


def test_text_format_colours_by_severity_and_marks_a_multi_line_span(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault(MIXED)
    args = ("check", "--no-cache", "--color", "always", "--select", "ED002,MD001,LK004")
    code, out, _ = run(vault, capsys, *args, "w.md", "h.md", "café.md")
    assert code == 1
    message = "H1 heading 'Stray' in a note titled in front matter; use '##'"
    ambiguous = "Link 'dup' matches 2 files ('a/dup.md', 'b/dup.md'); Obsidian opens 'a/dup.md'"
    findings = [
        f"{sgr('w.md:1:1:', 1)} {sgr('ED002', 31, 1)} [*] {sgr('error:', 31)} "
        "The whole note is wrapped in a '```markdown' fence (lines 1-5)",
        "   |",
        " 1 | ```markdown",
        f"   | {sgr('^' * 12, 31)}",  # the span goes on past the line: one caret beyond it
        f"{sgr('help:', 36, 1)} Remove the fences",
        "",
        f"{sgr('h.md:11:1:', 1)} {sgr('MD001', 33, 1)} {sgr('warning:', 33)} {message}",
        "   |",
        "11 | # Stray",
        f"   | {sgr('^' * 7, 31)}",
        f"{sgr('help:', 36, 1)} Demote the heading and its section by one level"
        " (unsafe: `vaultbot fix --unsafe-fixes`)",
        "",
        f"{sgr('café.md:3:21:', 1)} {sgr('LK004', 34, 1)} {sgr('info:', 34)} {ambiguous}",
        "   |",
        " 3 | See [[ok#Nope]] and [[dup]] and [[Missing]].",
        f"   | {sgr(' ' * 20 + '^' * len('[[dup]]'), 31)}",
        "",
        "Found 3 findings (1 error, 1 warning, 1 info) in 3 of 3 notes.",
        "[*] 1 fixable with `vaultbot fix` (1 more fix available with `--unsafe-fixes`).",
    ]
    assert out.splitlines()[: len(findings)] == findings


def test_json_summary_counts_each_severity_and_keeps_text_unescaped(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # one more unsafe fix than safe ones: `fixable` counts the safe
    vault = make_vault({**MIXED, "e2.md": MIXED["e.md"]})
    report = tmp_path / "report.json"
    args = ("check", "--no-cache", "--format", "json", "--output", str(report))
    code, _, err = run(vault, capsys, *args, ".", "göne.md")
    assert code == 2 and "göne.md: no such file or folder" in err
    text = report.read_text(encoding="utf-8")
    # Non-ASCII text is written as it is, not as \u escapes, in findings and summary alike.
    assert '\n    {"path": "café.md", "line": 3, "column": 5, "end_line": 3,' in text
    assert '"errors": ["göne.md: no such file or folder"]' in text
    fix = next(f["fix"] for f in json.loads(text)["findings"] if f["path"] == "w.md")
    assert (fix["applicability"], fix["title"]) == ("safe", "Remove the fences")
    assert json.loads(text)["summary"] == {
        "notes_checked": 9,
        "findings": 8,
        "by_rule": {
            "editorial-fence": 2, "editorial-line": 2, "heading-stray-h1": 1, "link-ambiguous": 1,
            "link-heading-missing": 1, "link-target-missing": 1,
        },
        "by_severity": {"error": 3, "info": 1, "warning": 4},
        "fixable": 2,  # the two ED002; not the three unsafe ED001 and MD001
        "baselined": 0,
        "errors": ["göne.md: no such file or folder"],
        "profile": "generated",
    }  # fmt: skip


def test_formats_are_named_in_their_order() -> None:
    assert list(FORMATTERS) == ["text", "concise", "json", "github", "sarif"]
    assert len(FORMATTERS) == 5 and all(callable(FORMATTERS[name]) for name in FORMATTERS)


def test_counts_are_appended_as_name_value_lines(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    vault = make_vault(MIXED)
    counts = tmp_path / "counts.txt"
    counts.write_text("earlier=1\n")  # $GITHUB_OUTPUT is appended to, never replaced
    run(vault, capsys, "check", "--no-cache", "--counts", str(counts))
    assert counts.read_text() == (
        "earlier=1\nfindings=7\nerrors=3\nwarnings=3\nnotices=1\nnotes-checked=8\n"
    )
    counts.write_text("")
    run(vault, capsys, "fix", "--counts", str(counts))  # the two safe ED002 fixes
    assert counts.read_text() == "fixes=2\nnotes-fixed=2\nremaining=5\n"


@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_json_is_written_in_pieces_as_json_dumps_would_write_it(
    make_vault: VaultFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    chunk: int,
) -> None:
    """The JSON document is formatted directly and written in pieces: whatever the piece
    size, stdout and `--output` hold exactly the document `json.dumps` gives, one finding a
    line (text with quotes, backslashes, tabs and non-ASCII included)."""
    from vaultbot.output import json_format

    monkeypatch.setattr(json_format, "CHUNK", chunk)
    odd = 'Über "quoted" \\ back\tslash'
    vault = make_vault({f"{odd}.md": NOTE, "b.md": NOTE.replace("[[Missing]]", f"[[{odd} 2]]")})
    code, out, _ = run(vault, capsys, "check", "--no-cache", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert len(doc["findings"]) == 6
    lines = [json.dumps(f, ensure_ascii=False) for f in doc["findings"]]
    summary = json.dumps(doc["summary"], ensure_ascii=False)
    expected = (
        '{\n  "version": 1,\n  "findings": [\n    '
        + ",\n    ".join(lines)
        + f'\n  ],\n  "summary": {summary}\n}}\n'
    )
    assert out == expected
    assert run(vault, capsys, "check", "--no-cache", "--format", "json", "-o", "r.json")[0] == 1
    assert (vault / "r.json").read_text(encoding="utf-8") == expected
    (vault / "r.json").unlink()


@pytest.mark.parametrize("chunk", [1, 1000])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_json_written_as_notes_finish_is_the_document_written_at_the_end(
    make_vault: VaultFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    chunk: int,
    jobs: str,
) -> None:
    """A JSON check without cache whose findings nothing else reads writes each note as it
    is finished (cli._Sink); with `--counts` (which reads them), the document is written at
    the end. Both give the same document and exit code, on standard output and in a file."""
    from vaultbot.output import json_format

    monkeypatch.setattr(json_format, "CHUNK", chunk)
    monkeypatch.setattr("vaultbot.engine.PARALLEL_THRESHOLD", 1)
    vault = make_vault(
        {**MIXED, **{f"x{i}.md": f"[[gone {i}]] and [[gone {i}]]\n" for i in range(30)}}
    )
    base = ("check", "--no-cache", "--format", "json", "-j", jobs)
    streamed = run(vault, capsys, *base)
    at_end = run(vault, capsys, *base, "--counts", "counts.txt")
    assert streamed[0] == at_end[0] == 1 and streamed[1] == at_end[1]
    assert json.loads(streamed[1])["summary"]["findings"] > 60
    assert run(vault, capsys, *base, "-o", "a.json")[0] == 1
    assert run(vault, capsys, *base, "-o", "b.json", "--counts", "counts.txt")[0] == 1
    assert (vault / "a.json").read_text(encoding="utf-8") == streamed[1]
    assert (vault / "b.json").read_text(encoding="utf-8") == streamed[1]


def test_json_written_as_notes_finish_to_a_file_that_cannot_be_written(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """The check still runs; one error line names the file, and the exit code is 2."""
    vault = make_vault({"a.md": "[[gone]]\n"})
    args = ("check", "--no-cache", "--format", "json", "-o", "gone/out.json")
    code, out, err = run(vault, capsys, *args)
    assert code == 2 and out == ""
    assert err.count("error:") == 1 and "gone/out.json: cannot write" in err


def test_an_interrupted_json_check_written_as_notes_finish_is_a_whole_document(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C after the second note: the document holds the two notes finished, its summary
    counts them, and the run exits as interrupted."""
    import signal

    from vaultbot.cli import EXIT_INTERRUPTED
    from vaultbot.output.json_format import Stream

    finished = Stream.finished
    seen: list[str] = []

    def finish_then_interrupt(self: Stream, note: Any) -> None:
        finished(self, note)
        seen.append(note.rel)
        if len(seen) == 2:
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(Stream, "finished", finish_then_interrupt)
    vault = make_vault({f"n{i}.md": f"[[gone {i}]]\n" for i in range(5)})
    code, out, err = run(vault, capsys, "check", "--no-cache", "--format", "json", "-j", "1")
    assert code == EXIT_INTERRUPTED and "interrupted after 2 of 5 notes" in err
    document = json.loads(out)
    assert [f["path"] for f in document["findings"]] == ["n0.md", "n1.md"] == seen
    assert document["summary"]["notes_checked"] == 2 and document["summary"]["findings"] == 2


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_streamed_check_keeps_no_note_it_wrote(
    make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """What a check writes as the notes finish it lets go of: the report keeps how many notes
    and the kinds of their findings, which the summary counts, not one report a note (memory
    does not grow with the notes). A note with an error is kept, to be told."""
    from vaultbot import cli
    from vaultbot.engine import Job, kind, plans, run
    from vaultbot.output.json_format import Stream

    monkeypatch.setattr("vaultbot.engine.PARALLEL_THRESHOLD", 1)
    vault = make_vault({**{f"x{i}.md": f"[[gone {i}]] [[gone]]\n" for i in range(12)},
                        "clean.md": "Nothing.\n", "bad.md": b"\xff\xfe\x00bad"})  # fmt: skip
    plan = plans([vault], None, None, [], [], cli.NO_FUZZY, False, True)[0]
    job = Job(plan.vault, plan.rules, vault, json=True)
    pieces: list[str] = []
    stream = Stream(pieces.append)
    report = run(job, plan.notes, jobs, stream.finished)
    stream.close(report)
    kept = run(job, plan.notes, jobs)  # nothing written as it finishes: every note kept
    assert [note.rel for note in report.notes] == ["bad.md"] and report.let_go == 13
    assert report.checked == kept.checked == len(kept.notes) == 14
    assert sorted(report.kinds()) == sorted(kind(r) for r in kept.results) and kept.results
    assert report.all_errors == kept.all_errors != []
    summary = json.loads("".join(pieces))["summary"]
    assert summary["notes_checked"] == 14 and summary["findings"] == len(kept.results)


def test_a_note_written_as_it_finished_holds_its_findings_no_longer() -> None:
    """What a streamed check keeps of a note is what the summary counts: reading its
    findings afterwards fails loudly instead of giving none."""
    from test_diagnostics import finding

    from vaultbot.engine import LinesReport, Report, kind
    from vaultbot.output.json_format import Stream, note_lines

    found = [finding("LK001", "link-target-missing") for _ in range(2)]
    note = LinesReport("n.md", "n.md", note_lines(found), [kind(r) for r in found])
    pieces: list[str] = []
    stream = Stream(pieces.append)
    stream.finished(note)
    stream.close(Report(notes=[note]))
    assert len(json.loads("".join(pieces))["findings"]) == 2
    assert note.count == 2 and note.kinds() == [kind(r) for r in found]
    with pytest.raises(RuntimeError, match="released"):
        note.results  # noqa: B018
    with pytest.raises(RuntimeError, match="released"):
        note.lines()


def test_json_without_findings(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"clean.md": "# Clean\n\nNothing wrong.\n"})
    code, out, _ = run(vault, capsys, "check", "--no-cache", "--format", "json")
    assert code == 0 and out.startswith('{\n  "version": 1,\n  "findings": [],\n  "summary": {')
    assert json.loads(out)["summary"]["findings"] == 0


def test_json_and_text_come_in_pieces_and_other_formats_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from test_diagnostics import finding

    from vaultbot.engine import NoteReport, Report
    from vaultbot.output import chunks, json_format
    from vaultbot.output import text as text_format

    monkeypatch.setattr(json_format, "CHUNK", 1)
    monkeypatch.setattr(text_format, "CHUNK", 2)
    found = [finding("LK001", "link-target-missing") for _ in range(3)]
    report = Report(notes=[NoteReport(f"n{i}.md", results=found) for i in range(3)])
    pieces = list(chunks("json", report))
    # the head, a line break, a piece a note (never split), the summary; never whole
    assert len(pieces) == 6 and "".join(pieces) == FORMATTERS["json"](report)
    assert all(piece.endswith("\n") for piece in pieces[1:-2])  # whole lines
    text = list(chunks("text", report))  # two findings a piece, then the last and the summary
    assert len(text) == 5 and "".join(text) == FORMATTERS["text"](report)
    assert all(piece.endswith("\n") for piece in text[:-1])
    assert "".join(text).count("\n\n") == 8 + 1  # a blank line after each finding's block
    assert list(chunks("concise", report)) == [FORMATTERS["concise"](report)]


def test_json_writes_each_byte_of_a_name_that_is_not_utf8_as_an_escape() -> None:
    """Path, message, fix title and fix text alike: the document stays UTF-8 and `json.loads`
    then `os.fsencode` give the name's bytes back."""
    from test_diagnostics import finding

    from vaultbot.engine import NoteReport, Report

    name = os.fsdecode(b"caf\xe9")
    found = finding("LK001", "link-target-missing", fix="safe")
    fix = {**found.fix, "title": f"Relink to '{name}'"}  # type: ignore[dict-item]
    fix["edits"] = [{**fix["edits"][0], "content": f"[[{name}]]"}]
    found = found._replace(path=f"{name}.md", message=f"'{name}'", fix=fix)
    out = FORMATTERS["json"](Report(notes=[NoteReport("n.md", results=[found])]))
    [back] = json.loads(out.encode("utf-8"))["findings"]
    assert back["path"] == f"{name}.md" and back["message"] == f"'{name}'"
    assert back["fix"]["title"] == f"Relink to '{name}'"
    assert os.fsencode(back["fix"]["edits"][0]["content"]) == b"[[caf\xe9]]"


@pytest.mark.parametrize(
    ("root", "cwd"),
    [("v", "v/a/b"), ("v", "v/a"), ("v", "v"), ("x/vault", "y/z"), ("v/w", "v"), ("v", ".")],
)
def test_note_paths_are_shown_as_relpath_shows_them(tmp_path: Path, root: str, cwd: str) -> None:
    """`displayer` computes one relative path per run where it can: it must give what
    `os.path.relpath` gives for each note, also for notes in the folder that holds cwd."""
    from vaultbot.engine import display_path, displayer

    rels = ["n.md", "a/x.md", "a/b/n.md", "ab/n.md", "c/d.md", "b/a.md", "a/b/c/d.md"]
    show = displayer(tmp_path / root, tmp_path / cwd)
    for rel in rels:
        assert show(rel) == display_path(tmp_path / root / rel, tmp_path / cwd), rel


@pytest.mark.parametrize("command", ["check", "fix", "clean"])
@pytest.mark.parametrize("jobs", ["0", "-3"])
def test_jobs_below_one_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, jobs: str
) -> None:
    """`--jobs 0` or a negative count is refused, naming the option, before any note is
    read or written (it ran on all cores, or on one, without a word)."""
    (tmp_path / "a.md").write_text("Here is the modified article:\n\n[[x]]\n", encoding="utf-8")
    code, out, err = run(tmp_path, capsys, command, "--jobs", jobs, ".")
    assert code == 2
    assert out == ""
    assert "'--jobs' / '-j'" in err and "x>=1" in err
    assert (tmp_path / "a.md").read_text(
        encoding="utf-8"
    ) == "Here is the modified article:\n\n[[x]]\n"


@pytest.mark.parametrize("command", [["check"], ["fix"], ["fix", "--diff"], ["clean", "--dry-run"]])
def test_a_folder_without_notes_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """A first run on the wrong folder (empty, or holding no `.md` file) says that it found no
    note, on one warning line, exit 0, and claims no profile for a vault of nothing."""
    (tmp_path / "notes.txt").write_text("[[x]]\n", encoding="utf-8")
    code, out, err = run(tmp_path, capsys, *command)
    assert code == 0
    assert err == "vaultbot: warning: no notes (.md files) found in .\n"
    assert "Profile" not in out


def test_a_file_named_that_is_not_a_note_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file named on the command line that vaultbot does not check (not `.md`, or in a
    hidden folder) is named on a warning line; the notes named beside it are checked."""
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "hidden.md").write_text("[[x]]\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("[[x]]\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("[[x]]\n", encoding="utf-8")
    generated_config(tmp_path)
    code, out, err = run(tmp_path, capsys, "check", "--format", "concise", "notes.txt")
    assert (code, err) == (
        0,
        "vaultbot: warning: notes.txt: not checked (only .md files are notes)\n",
    )
    code, out, err = run(
        tmp_path, capsys, "check", "--format", "concise", ".obsidian/hidden.md", "a.md"
    )
    assert code == 1
    assert out.startswith("a.md:1:1: LK001")
    assert err == "vaultbot: warning: .obsidian/hidden.md: not checked (in a hidden folder)\n"


@pytest.mark.parametrize(
    ("app", "told"),
    [
        ('{"userIgnoreFilters": ["drafts/"', "not valid JSON (Expecting"),
        ('{"userIgnoreFilters": "drafts/"}', "'userIgnoreFilters' is not a list;"),
        ('["drafts/"]', "not a JSON object;"),
        (b"\xff\xfe{}", "not valid JSON ('utf-8' codec"),
    ],
)
def test_a_broken_obsidian_app_json_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], app: str | bytes, told: str
) -> None:
    """A `.obsidian/app.json` vaultbot cannot take is one warning line naming it: its
    excluded folders are then checked (and fixed), which the user must hear about."""
    write_vault(tmp_path, {".obsidian/app.json": app, "drafts/d.md": "[[Nowhere]]\n"})
    generated_config(tmp_path)
    code, out, err = run(tmp_path, capsys, "check", "--no-cache", "--format", "concise")
    assert code == 1 and out.startswith("drafts/d.md:1:1: LK001")
    assert err.startswith(f"vaultbot: warning: .obsidian/app.json: {told}")
    assert err.endswith("; its excluded files (userIgnoreFilters) are checked\n")
    assert err.count("\n") == 1


@pytest.mark.parametrize("app", ["", '{"userIgnoreFilters": ["drafts/"]}', "{}"])
def test_a_sound_or_empty_app_json_is_not_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], app: str
) -> None:
    write_vault(tmp_path, {".obsidian/app.json": app, "n.md": "x\n"})
    assert run(tmp_path, capsys, "check", "--no-cache")[2] == ""


def test_missing_vault_root_or_config_is_one_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--vault-root` or `--config` naming nothing is one line that says so (the vault root
    gave a second, confusing line: '.: not inside the vault root …/nope'; the config a
    Python exception's text)."""
    write_vault(tmp_path, {"n.md": "x\n"})
    code, out, err = run(tmp_path, capsys, "check", "--vault-root", "nope")
    assert code == 2 and out == ""
    assert err.endswith(
        "Error: Invalid value for '--vault-root': Directory 'nope' does not exist.\n"
    )
    assert "not inside" not in err
    code, out, err = run(tmp_path, capsys, "check", "--config", "nope.toml")
    assert (code, out) == (2, "")
    assert err == "vaultbot: error: nope.toml: cannot read config (No such file or directory)\n"


def test_an_unknown_rule_names_the_option_it_came_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--select NOPE` / `--ignore NOPE` name the option and where the rules are listed (it
    said 'command line:', and the Python API said 'command line' too)."""
    write_vault(tmp_path, {"n.md": "x\n"})
    for option in ("--select", "--ignore"):
        code, out, err = run(tmp_path, capsys, "check", option, "LK001,NOPE")
        assert (code, out) == (2, "")
        assert err == f"vaultbot: error: {option}: unknown rule 'NOPE' (see `vaultbot rules`)\n"
    import vaultbot
    from vaultbot.errors import ConfigError

    with pytest.raises(ConfigError, match=r"^ignore: unknown rule 'NOPE'"):
        vaultbot.check_text("x", ignore=["NOPE"])


@pytest.mark.parametrize("args", [[], ["--help"]])
def test_the_command_list_is_whole(tmp_path: Path, args: list[str]) -> None:
    """`vaultbot` and `vaultbot --help` list each command with a summary that is not cut
    off mid-sentence ('with progress, a summary...'), in a real process."""
    done = subprocess.run(
        [sys.executable, "-m", "vaultbot", *args], capture_output=True, text=True, cwd=tmp_path
    )
    listing = (done.stdout + done.stderr).split("Commands:\n", 1)[1]
    lines = listing.strip().splitlines()
    assert [line.split()[0] for line in lines] == [
        "check", "clean", "explain", "fix", "install-hook", "rules"
    ]  # fmt: skip
    assert not [line for line in lines if line.endswith("...")]
    assert done.returncode == (0 if args else 2)
