"""The GitHub Action: changed lines only, workflow commands, job summary, SARIF, fix commits.

A temporary repository has a base branch and a pull request branch that edits one line of a
long defective note and adds a new note; vaultbot runs with the `GITHUB_*` variables set as
GitHub sets them for a `pull_request` event. The action's own `run:` scripts are executed
from `action.yml` with bash.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from conftest import (
    VaultFactory,
    check_json,
    finish,
    generated_config,
    run,
    session_dir,
    snapshot_repo,
    start,
)
from gitrepo import git, git_env, make_repo, write
from ruamel.yaml import YAML

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from vaultbot.cli import main
from vaultbot.output.github import annotation, escape_data, escape_property

ROOT = Path(__file__).resolve().parents[1]
ANCHOR = '<a class="yt-timestamp" data-t="{}">[{}]</a>'


def long_note(line_25: str) -> str:
    lines = ["---", "title: Long", "videoId: abcdefghijk", "---", ""]
    lines.append("Here is the modified article with inserted backlinks:")  # line 6: ED001
    lines += [
        f"Paragraph {n} " + ANCHOR.format(f"00:{n:02d}:00", f"00:{n:02d}:00") for n in range(7, 25)
    ]
    lines.append(line_25)
    lines += [f"Closing paragraph {n}." for n in range(26, 31)]
    return "\n".join(lines) + "\n"


BASE_LINE = "An untouched paragraph " + ANCHOR.format("00:25:00", "00:25:00") + "."
PR_LINE = "An edited paragraph " + ANCHOR.format("00:35:45", "01:35:45") + " and [[Nowhere]]."
NEW_NOTE = "---\ntitle: New\n---\n\nFresh text with [[Missing Topic]].\n"


def pull_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, base: dict[str, str], head: dict[str, str]
) -> dict[str, Any]:
    """A repository whose `main` holds `base` and whose branch `feature` adds `head` in one
    commit, with the `GITHUB_*` variables of a `pull_request` event for it set."""
    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}", **base})
    generated_config(tmp_path)  # beside the checkout: every missing link is an error
    base_sha = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, head)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "PR")
    event = tmp_path / "event.json"
    payload = {
        "pull_request": {
            "base": {"sha": base_sha, "ref": "main"},
            "head": {"ref": "feature", "repo": {"full_name": "o/r"}},
        }
    }
    event.write_text(json.dumps(payload))
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_BASE_REF": "main",
        "GITHUB_HEAD_REF": "feature",
        "GITHUB_REPOSITORY": "o/r",
        "GITHUB_WORKSPACE": str(repo),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "RUNNER_TEMP": str(tmp_path),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(repo)
    return {"repo": repo, "base": base_sha, "env": env, "tmp": tmp_path}


def warm_up(fixtures: set[str]) -> None:
    """Run the action's "Install vaultbot" step in the background (conftest calls this after
    collection): vaultbot from the action's checkout (a snapshot of this work tree) into its
    own venv under RUNNER_TEMP."""
    if "installed" in fixtures:
        temp = session_dir() / "runner-temp"
        temp.mkdir(exist_ok=True)
        step = next(s for s in action_steps() if s.get("name") == "Install vaultbot")
        context = {
            "github.action_path": str(snapshot_repo()),
            "steps.python.outputs.python-path": sys.executable,
        }
        env = {**os.environ, "RUNNER_TEMP": str(temp), "GITHUB_OUTPUT": str(temp / "output.txt")}
        env.update(evaluate(step, context))
        start("action install step", ["bash", "-c", step["run"]], env=env)


@pytest.fixture(scope="session")
def installed() -> dict[str, Any]:
    """What the action's install step left: its output and RUNNER_TEMP's contents."""
    return install_step()


@functools.cache
def install_step() -> dict[str, Any]:
    warm_up({"installed"})
    finish("action install step")
    temp = session_dir() / "runner-temp"
    return {
        "temp": temp,
        "output": (temp / "output.txt").read_text(),
        "created": sorted(p.name for p in temp.iterdir()),
    }


Test = Callable[..., None]


def uses_install(test: Test) -> Test:
    """A test that runs the vaultbot the action's install step put into its own venv (built in
    the background from the end of collection). Marked `installs`: mutation runs leave such
    tests out (`[tool.mutmut]`), since that vaultbot is installed from a git snapshot of the
    work tree, which mutmut's copy is not, and no mutant in this process reaches it."""
    return pytest.mark.installs(pytest.mark.usefixtures("installed")(test))


@pytest.fixture
def pr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    base = {"long.md": long_note(BASE_LINE)}
    head = {"long.md": long_note(PR_LINE), "notes/new.md": NEW_NOTE}
    return pull_request(tmp_path, monkeypatch, base, head)


def test_reports_only_changed_lines_and_new_notes(
    pr: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    sarif = pr["tmp"] / "out.sarif"
    summary = Path(pr["env"]["GITHUB_STEP_SUMMARY"])
    code = main(
        ["check", "--format", "github", "--changed-since", "auto", "--sarif", str(sarif),
         "--summary", str(summary)]
    )  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    located = sorted(re.match(r"::(\w+) file=([^,]+),line=(\d+)", line).groups() for line in out)  # type: ignore[union-attr]
    # Line 6 (ED001) was not touched by the PR: it is not reported.
    assert located == [
        ("error", "long.md", "25"),  # TS002 on the edited line
        ("error", "long.md", "25"),  # LK001 on the edited line
        ("error", "notes/new.md", "5"),  # LK001 in the new note
    ]
    text = summary.read_text()
    assert "**3 findings** in 2 of 2 checked notes." in text
    assert "| LK001 | link-target-missing | error | 2 |" in text
    assert "| notes/new.md | 5 | LK001 |" in text
    validate_sarif(json.loads(sarif.read_text()), expected_results=3)


#: The official SARIF 2.1.0 schema (OASIS), kept as test data: see tests/data/README.md.
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def validate_sarif(document: dict[str, Any], expected_results: int) -> None:
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(document)
    results = document["runs"][0]["results"]
    assert len(results) == expected_results
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)


def test_whole_vault_sarif_validates(pr: dict[str, Any]) -> None:
    sarif = pr["tmp"] / "all.sarif"
    assert main(["check", "--format", "sarif", "--output", str(sarif)]) == 1
    document = json.loads(sarif.read_text())
    validate_sarif(document, expected_results=4)
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    assert document["runs"][0]["tool"]["driver"]["informationUri"] == urls["Homepage"]


def test_sarif_results_carry_level_location_and_text_as_is(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    vault = make_vault(
        {
            "n.md": "# N\n\nSee [[ok#Nope]] and [[dup]] and [[Mißing]].\n",
            "ok.md": "x\n",
            "a/dup.md": "a\n",
            "b/dup.md": "b\n",
        }
    )
    sarif = tmp_path / "out.sarif"
    args = ("check", "--no-cache", "--format", "sarif", "--output", str(sarif))
    assert run(vault, capsys, *args)[0] == 1
    text = sarif.read_text(encoding="utf-8")
    # indented for a reader, and text as it is (no \u escapes)
    assert text.startswith('{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n')
    assert '\n          "name": "vaultbot",\n' in text
    assert '"text": "Link target \'Mißing\' does not exist"' in text
    document = json.loads(text)
    validate_sarif(document, expected_results=3)
    results = document["runs"][0]["results"]

    def where(column: int, end: int) -> dict[str, Any]:
        region = {"startLine": 3, "startColumn": column, "endLine": 3, "endColumn": end}
        return {"artifactLocation": {"uri": "n.md", "uriBaseId": "%SRCROOT%"}, "region": region}

    assert [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]) for r in results] == [
        ("LK003", "warning", where(5, 16)),
        ("LK004", "note", where(21, 28)),
        ("LK001", "error", where(33, 43)),
    ]


@pytest.mark.parametrize("findings", [0, 3])
def test_sarif_is_indented_with_one_result_a_line(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path, findings: int
) -> None:
    """The document as `json.dumps(indent=2)` writes it, but for each result, which is written
    on one line (by json's fast encoder); with no results, exactly as `json.dumps` writes it."""
    vault = make_vault({f"n{i}.md": f"See [[nowhere {i}]].\n" for i in range(findings)})
    (vault / "ok.md").write_text("# Fine\n", encoding="utf-8")
    sarif = tmp_path / "out.sarif"
    args = ("check", "--no-cache", "--format", "sarif", "--output", str(sarif))
    assert run(vault, capsys, *args)[0] == (1 if findings else 0)
    text = sarif.read_text(encoding="utf-8")
    document = json.loads(text)
    results = document["runs"][0]["results"]
    assert len(results) == findings
    document["runs"][0]["results"] = ["RESULTS"]
    indented = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    lines = ",\n        ".join(json.dumps(r, ensure_ascii=False) for r in results)
    expected = (
        indented.replace('"RESULTS"', lines)
        if findings
        else indented.replace('[\n        "RESULTS"\n      ]', "[]")
    )
    assert text == expected


#: What RFC 3986 allows in a URI reference's path: unreserved, sub-delims, `:@/` and escapes.
URI_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*")


def test_sarif_uris_are_percent_encoded_and_name_the_note(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    names = ["Q&A #3/100% done?.md", "café notes/a b.md", "[x] 50%25.md"]
    vault = make_vault({name: "See [[nowhere]].\n" for name in names})
    sarif = tmp_path / "out.sarif"
    args = ("check", "--no-cache", "--format", "sarif", "--output", str(sarif))
    assert run(vault, capsys, *args)[0] == 1
    document = json.loads(sarif.read_text(encoding="utf-8"))
    validate_sarif(document, expected_results=3)
    locations = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]
        for r in document["runs"][0]["results"]
    ]
    for location in locations:
        assert URI_PATH.fullmatch(location["uri"]), location["uri"]
        assert location["uriBaseId"] == "%SRCROOT%"
    assert sorted(unquote(location["uri"]) for location in locations) == sorted(names)
    assert "Q%26A%20%233/100%25%20done%3F.md" in [location["uri"] for location in locations]


def test_missing_base_in_a_shallow_clone_says_so(
    pr: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", "feature",
         f"file://{pr['repo']}", str(shallow)],
        check=True, env=git_env(tmp_path),
    )  # fmt: skip
    os.chdir(shallow)
    assert main(["check", "--changed-since", "auto"]) == 2
    err = capsys.readouterr().err
    assert f"the base commit '{pr['base']}' is not in this repository" in err
    assert "fetch-depth: 0" in err


def test_changed_since_a_branch_name_works_locally(
    pr: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--format", "concise", "--changed-since", "main"]) == 1
    out = capsys.readouterr().out
    assert "long.md:25:" in out and "long.md:6:" not in out


# -- escaping ---------------------------------------------------------------------------------


def test_escaping() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a::error file=x.md::b,c") == "a%3A%3Aerror file=x.md%3A%3Ab%2Cc"


def test_hostile_note_names_and_text_cannot_inject(
    pr: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    name = "a::error file=x.md::boom.md"
    write(pr["repo"], {name: "See [[50% off, 3:00\rnow]] and [[::warning::x]].\n"})
    assert main(["check", "--format", "github", name]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2  # one command a finding: no line break got through
    for number, line in enumerate(lines, 1):
        command, _, _message = line[2:].partition("::")
        # the bare `\r` breaks the line (as in Obsidian): the first link is left unclosed
        assert line.startswith(f"::error file=a%3A%3Aerror file=x.md%3A%3Aboom.md,line={number},")
        assert "::" not in command and "\r" not in line
    assert lines[0].endswith("::Unclosed wikilink '[[50%25 off, 3:00': no ']]' on its line")


def test_annotation_messages_show_control_characters() -> None:
    """A note's text quoted in a message (a link target) cannot drive the log that renders
    the annotation: escape sequences, BEL and bidirectional overrides are shown, not sent."""
    from vaultbot.engine import Result

    message = "Link target 'a\x1b]8;;https://x.example\x07b\x1b[2J\u202ec' does not exist"
    result = Result(path="n.md", line=1, column=1, end_line=1, end_column=2, rule="r",
                    code="XX001", severity="error", message=message, fix=None)  # fmt: skip
    line = annotation(result)
    assert not any(c in line for c in "\x1b\x07\u202e"), line
    shown = "a\u241b]8;;https://x.example\u2407b\u241b[2J\\u{202e}c"
    assert line.endswith(f"::Link target '{shown}' does not exist"), line


def test_annotation_levels() -> None:
    from vaultbot.engine import Result

    base = dict(path="n.md", line=1, column=1, end_line=1, end_column=2, rule="r", code="XX001",
                message="m", fix=None, source="")  # fmt: skip
    assert annotation(Result(severity="warning", **base)).startswith("::warning ")  # type: ignore[arg-type]
    assert annotation(Result(severity="info", **base)).startswith("::notice ")  # type: ignore[arg-type]


# -- the action itself ------------------------------------------------------------------------


def action_steps() -> list[dict[str, Any]]:
    return YAML(typ="safe").load((ROOT / "action.yml").read_text())["runs"]["steps"]


def test_action_never_expands_untrusted_input_in_scripts() -> None:
    for step in action_steps():
        assert "${{" not in step.get("run", ""), step.get("name")


def evaluate(step: dict[str, Any], context: dict[str, str]) -> dict[str, str]:
    """A step's `env:`, its `${{ name }}` expressions replaced from `context`."""
    pattern = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")
    return {
        key: pattern.sub(lambda m: context[m.group(1)], expression)
        for key, expression in step.get("env", {}).items()
    }


def run_step(
    name: str, pr: dict[str, Any], inputs: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run one `run:` step of action.yml with bash, its `env:` evaluated as GitHub would, with
    the vaultbot the action's install step put into its own venv (not on PATH)."""
    action = YAML(typ="safe").load((ROOT / "action.yml").read_text())
    values = {key: str(spec.get("default", "")) for key, spec in action["inputs"].items()}
    values.update(inputs)
    step = next(s for s in action["runs"]["steps"] if s.get("name") == name)
    installed = dict(line.split("=", 1) for line in install_step()["output"].splitlines())
    context = {
        "github.action_path": str(ROOT),
        "github.event.pull_request.head.ref": "feature",
        "github.event.pull_request.head.sha": git(pr["repo"], "rev-parse", "feature"),
        "steps.install.outputs.vaultbot": installed["vaultbot"],
        **{f"inputs.{k}": v for k, v in values.items()},
    }
    env = {**git_env(pr["tmp"]), **pr["env"], **evaluate(step, context)}
    return subprocess.run(
        ["bash", "-c", step["run"]], cwd=pr["repo"], env=env, capture_output=True, text=True
    )


@uses_install
def test_action_check_step(pr: dict[str, Any]) -> None:
    done = run_step("Check changed notes", pr, {})
    assert done.returncode == 1, done.stderr  # fail-on: error
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith("::error file=") for line in lines)
    assert (pr["repo"] / "vaultbot.sarif").is_file()
    assert "sarif=vaultbot.sarif" in Path(pr["env"]["GITHUB_OUTPUT"]).read_text()
    assert "## vaultbot" in Path(pr["env"]["GITHUB_STEP_SUMMARY"]).read_text()


@uses_install
def test_action_check_step_passes_args_and_fail_on(pr: dict[str, Any]) -> None:
    done = run_step("Check changed notes", pr, {"args": "--select\nED001\n", "fail-on": "error"})
    assert done.returncode == 0, done.stderr  # the only ED001 is on an unchanged line
    assert done.stdout == ""


@uses_install
def test_action_fix_step_commits_to_the_pr_branch(pr: dict[str, Any], tmp_path: Path) -> None:
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True, env=git_env(tmp_path))
    git(pr["repo"], "remote", "add", "origin", str(origin))
    git(pr["repo"], "push", "-q", "origin", "main", "feature")
    sloppy = "Edited " + ANCHOR.format("00:5:52", "00:05:52") + " and [[long]]."
    (pr["repo"] / "long.md").write_text(long_note(sloppy))
    git(pr["repo"], "commit", "-q", "-am", "a sloppy timestamp")
    git(pr["repo"], "push", "-q", "origin", "feature")
    before = git(pr["repo"], "rev-parse", "HEAD")
    done = run_step("Commit safe fixes", pr, {"fix": "true"})
    assert done.returncode == 0, done.stdout + done.stderr
    head = git(pr["repo"], "rev-parse", "HEAD")
    assert head != before and git(origin, "rev-parse", "feature") == head
    author = git(pr["repo"], "log", "-1", "--format=%an <%ae>|%cn")
    assert author == "vaultbot[bot] <vaultbot@users.noreply.github.com>|vaultbot[bot]"
    assert git(pr["repo"], "show", "--name-only", "--format=", "HEAD").splitlines() == ["long.md"]
    message = git(pr["repo"], "log", "-1", "--format=%B")
    assert message.startswith("vaultbot: fix 2 issues in 1 note")
    assert "- ED001: 1" in message and "- TS001: 1" in message
    fixed = (pr["repo"] / "long.md").read_text()
    assert "Here is the modified article" not in fixed  # ED001 in a changed note is fixed too
    assert ANCHOR.format("00:05:52", "00:05:52") in fixed
    assert (pr["repo"] / "notes" / "new.md").read_text() == NEW_NOTE  # nothing to fix there


def test_action_fix_step_is_skipped_for_forks() -> None:
    [step] = [s for s in action_steps() if s.get("name") == "Commit safe fixes"]
    condition = " ".join(step["if"].split())
    assert "github.event.pull_request.head.repo.full_name == github.repository" in condition
    assert "inputs.fix == 'true'" in condition


# -- changed lines with hostile note names ----------------------------------------------------

#: Names git quotes or that a shell splits: spaces, `"`, `\`, tab, newline, non-ASCII, a dash.
HOSTILE = [
    "Daily Notes/My Note.md",
    'say "hi".md',
    "back\\slash.md",
    "tab\there.md",
    "new\nline.md",
    "café ノート.md",
    "-dash.md",
]
CLEAN = "# Note\n\nA line.\n\nLast line.\n"
EDITED = "# Note\n\nA line with [[Nowhere]].\n\nLast line.\n"


@pytest.fixture
def hostile_pr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Base: clean notes with hostile names. PR: line 3 of each edited, and each added anew
    under `added/`."""
    edited = {**dict.fromkeys(HOSTILE, EDITED), **{f"added/{n}": EDITED for n in HOSTILE}}
    return pull_request(tmp_path, monkeypatch, dict.fromkeys(HOSTILE, CLEAN), edited)


def test_changed_since_sees_every_hostile_name(hostile_pr: dict[str, Any]) -> None:
    code, document = check_json(hostile_pr["repo"], "--changed-since", "main")
    assert code == 1
    found = sorted((f["path"], f["line"], f["code"]) for f in document["findings"])
    expected = sorted(
        [(n, 3, "LK001") for n in HOSTILE] + [(f"added/{n}", 3, "LK001") for n in HOSTILE]
    )
    assert found == expected
    assert document["summary"]["notes_checked"] == 2 * len(HOSTILE)


def test_fix_changed_since_commits_hostile_names(
    hostile_pr: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = hostile_pr["repo"]
    sloppy = "# Note\n\n" + ANCHOR.format("00:5:52", "00:05:52") + "\n"
    write(repo, dict.fromkeys(HOSTILE, sloppy))
    git(repo, "commit", "-q", "-am", "sloppy")
    assert main(["fix", "--changed-since", "main", "--commit", "--exit-zero"]) == 0
    assert "Committed" in capsys.readouterr().out
    committed = git(repo, "show", "-z", "--name-only", "--format=", "HEAD").split("\0")
    assert sorted(filter(None, committed)) == sorted(HOSTILE)


def test_line_after_a_hunk_is_not_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Line 26 holds a defect in base and PR alike; the PR edits line 25 only.
    def note(line_25: str) -> str:
        lines = long_note(line_25).splitlines()
        lines[25] = "Closing " + ANCHOR.format("00:26:00", "01:26:00") + "."
        return "\n".join(lines) + "\n"

    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}", "long.md": note(BASE_LINE)})
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {"long.md": note(PR_LINE)})
    git(repo, "commit", "-q", "-am", "edit line 25")
    monkeypatch.chdir(repo)
    assert main(["check", "--format", "concise", "--changed-since", "main"]) == 1
    out = capsys.readouterr().out
    assert "long.md:25:" in out
    assert "long.md:26:" not in out


# -- the action's steps: the head commit, exit codes, list inputs, outputs, scope -------------


def with_origin(pr: dict[str, Any]) -> Path:
    """A bare `origin` holding `main` and `feature`, as the runner's checkout has."""
    origin = pr["tmp"] / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True, env=git_env(pr["tmp"]))
    git(pr["repo"], "remote", "add", "origin", str(origin))
    git(pr["repo"], "push", "-q", "origin", "main", "feature")
    return origin


def outputs(pr: dict[str, Any]) -> dict[str, str]:
    text = Path(pr["env"]["GITHUB_OUTPUT"]).read_text()
    return dict(line.split("=", 1) for line in text.splitlines())


@uses_install
def test_action_fix_step_refuses_the_merge_commit(pr: dict[str, Any]) -> None:
    # actions/checkout's default for pull_request: a detached merge of the head into the base.
    origin = with_origin(pr)
    git(pr["repo"], "checkout", "-q", "--detach", "main")
    git(pr["repo"], "merge", "-q", "--no-ff", "--no-edit", "feature")
    head = git(origin, "rev-parse", "feature")
    done = run_step("Commit safe fixes", pr, {"fix": "true"})
    assert done.returncode == 2
    assert (
        "::error title=vaultbot fix::fix: true needs the pull request's head commit" in done.stdout
    )
    assert git(origin, "rev-parse", "feature") == head  # nothing pushed
    assert git(pr["repo"], "log", "-1", "--format=%an") == "Ada Author"  # nothing committed


@uses_install
def test_action_fix_step_fails_when_vaultbot_fix_fails(pr: dict[str, Any]) -> None:
    (pr["repo"] / "vaultbot.toml").write_text("no-such-setting = 1\n")
    git(pr["repo"], "add", "vaultbot.toml")
    git(pr["repo"], "commit", "-q", "-m", "a bad config")
    origin = with_origin(pr)
    head = git(origin, "rev-parse", "feature")
    done = run_step("Commit safe fixes", pr, {"fix": "true"})
    assert done.returncode == 2, done.stdout + done.stderr
    assert "no-such-setting" in done.stderr
    assert git(origin, "rev-parse", "feature") == head


@uses_install
def test_action_fix_step_outputs_the_fixes_committed(pr: dict[str, Any]) -> None:
    with_origin(pr)
    done = run_step("Commit safe fixes", pr, {"fix": "true"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert outputs(pr)["fixes-committed"] == "1"  # ED001 in long.md
    Path(pr["env"]["GITHUB_OUTPUT"]).write_text("")
    again = run_step("Commit safe fixes", pr, {"fix": "true"})
    assert again.returncode == 0 and outputs(pr)["fixes-committed"] == "0"


@uses_install
def test_action_check_step_outputs_counts(pr: dict[str, Any]) -> None:
    assert run_step("Check changed notes", pr, {}).returncode == 1
    assert outputs(pr) == {
        "sarif": "vaultbot.sarif",
        "findings": "3",
        "errors": "3",
        "warnings": "0",
        "notices": "0",
        "notes-checked": "2",
    }


@uses_install
@pytest.mark.parametrize(
    ("scope", "findings", "notes"), [("lines", "3", "2"), ("notes", "4", "2"), ("vault", "5", "3")]
)
def test_action_check_step_scope(pr: dict[str, Any], scope: str, findings: str, notes: str) -> None:
    # `loose.md` is not part of the pull request: only the whole vault sees it.
    write(pr["repo"], {"loose.md": "Let me know if you need anything else!\n"})
    run_step("Check changed notes", pr, {"scope": scope})
    counts = outputs(pr)
    assert (counts["findings"], counts["notes-checked"]) == (findings, notes)


@uses_install
def test_action_list_inputs_keep_spaces_quotes_and_unicode(hostile_pr: dict[str, Any]) -> None:
    done = run_step(
        "Check changed notes",
        hostile_pr,
        {
            "paths": 'Daily Notes\n\nadded/say "hi".md\nadded/café ノート.md\n',
            "args": "--select\nLK001",
        },
    )
    assert done.returncode == 1, done.stderr
    files = sorted(re.findall(r"file=([^,]+),line=3,", done.stdout))
    assert files == ["Daily Notes/My Note.md", "added/café ノート.md", 'added/say "hi".md']


@uses_install
def test_action_check_step_reports_every_hostile_name(hostile_pr: dict[str, Any]) -> None:
    done = run_step("Check changed notes", hostile_pr, {})
    assert done.returncode == 1, done.stderr
    assert outputs(hostile_pr)["findings"] == str(2 * len(HOSTILE))
    assert outputs(hostile_pr)["notes-checked"] == str(2 * len(HOSTILE))


@pytest.mark.installs
def test_action_installs_vaultbot_into_its_own_venv(installed: dict[str, Any]) -> None:
    venv = installed["temp"] / "vaultbot-venv"
    assert installed["output"] == f"vaultbot={venv}/bin/vaultbot\n"
    assert installed["created"] == ["output.txt", "vaultbot-venv"]  # no GITHUB_PATH, GITHUB_ENV
    version = subprocess.run(
        [venv / "bin" / "vaultbot", "--version"], capture_output=True, text=True
    )
    assert version.stdout.startswith("vaultbot, version")


def test_action_leaves_the_jobs_python_alone() -> None:
    steps = action_steps()
    [setup] = [s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python")]
    assert setup["with"]["update-environment"] is False
    install = next(s for s in steps if s.get("name") == "Install vaultbot")
    assert '"$RUNNER_TEMP/vaultbot-venv"' in install["run"]
    for step in steps:
        script = step.get("run", "")
        assert "GITHUB_PATH" not in script and "GITHUB_ENV" not in script, step.get("name")
        if step.get("name") in ("Commit safe fixes", "Check changed notes"):
            assert '"$VAULTBOT" ' in script and "\nvaultbot " not in script


def test_readme_checkout_recipe_checks_out_the_pr_head() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## GitHub Action") :]
    assert "ref: ${{ github.event.pull_request.head.sha }}" in section
    assert "github.head_ref" not in readme  # for a fork: the base repository's branch of that name
    assert "starts no new workflow run" in section
    documented = set(re.findall(r"^\| `([\w-]+)` \|", section, re.M))
    action = YAML(typ="safe").load((ROOT / "action.yml").read_text())
    assert documented == set(action["inputs"])
    assert all(f"`{name}`" in section for name in action["outputs"])


@uses_install
def test_action_check_step_on_notes_git_will_not_diff_and_a_name_not_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repository whose `.gitattributes` says `*.md -diff` (git then prints "Binary files
    differ" for every note: no changed line was reported) and a pull request adding a note
    whose name is not UTF-8 (its SARIF and summary raised UnicodeEncodeError)."""
    latin1 = os.fsdecode(b"caf\xe9.md")
    pr = pull_request(
        tmp_path, monkeypatch,
        {".gitattributes": "*.md -diff\n", "long.md": long_note(BASE_LINE)},
        {"long.md": long_note(PR_LINE), latin1: NEW_NOTE},
    )  # fmt: skip
    done = run_step("Check changed notes", pr, {})
    assert done.returncode == 1, done.stderr
    located = sorted(re.findall(r"::error file=([^,]+),line=(\d+),", done.stdout))
    assert located == [("caf\\xe9.md", "5"), ("long.md", "25"), ("long.md", "25")]
    sarif = json.loads((pr["repo"] / "vaultbot.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif["runs"][0]["results"]}  # fmt: skip
    assert uris == {"long.md", "caf%E9.md"}
    assert "caf\\xe9.md" in Path(pr["env"]["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert outputs(pr)["findings"] == "3"


@uses_install
def test_action_check_step_in_a_repository_of_several_vaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Action checks the whole checkout (`paths: .`): a note of each vault is checked in
    its own vault. The checkout was one vault, and a link into the other vault resolved."""
    vaults = {f"{v}/.obsidian/app.json": "{}" for v in ("Vault A", "Vault B")}
    targets = {"Vault A/Only A.md": "# A\n", "Vault B/Only B.md": "# B\n"}
    links = "# Links\n\n[[Only A]] and [[Only B]]\n"
    pr = pull_request(
        tmp_path, monkeypatch, {**vaults, **targets},
        {"Vault A/a.md": links, "Vault B/b.md": links},
    )  # fmt: skip
    done = run_step("Check changed notes", pr, {})
    assert done.returncode == 1, done.stderr
    located = sorted(re.findall(r"::error file=([^,]+),line=3,col=(\d+),", done.stdout))
    assert located == [("Vault A/a.md", "16"), ("Vault B/b.md", "1")]
    assert outputs(pr)["notes-checked"] == "2"


def test_a_vault_inside_a_vault_keeps_the_outer_vaults_exclusions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A vault below the folder checked is checked as its own, but only for the notes the
    outer vault would check: an old vault kept in a folder Obsidian's filters exclude stays
    excluded."""
    links = "[[Nowhere]]\n"
    repo = make_repo(tmp_path / "repo", {
        ".obsidian/app.json": json.dumps({"userIgnoreFilters": ["archive/"]}),
        "archive/old/.obsidian/app.json": "{}", "archive/old/n.md": links,
        "live/.obsidian/app.json": "{}", "live/n.md": links,
    })  # fmt: skip
    generated_config(tmp_path)
    monkeypatch.chdir(repo)
    assert main(["check", "--no-cache", "--format", "concise"]) == 1
    out = capsys.readouterr().out
    assert "live/n.md:1:1: LK001" in out and "archive" not in out
