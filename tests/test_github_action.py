"""The GitHub Action: changed lines only, workflow commands, job summary, SARIF, fix commits.

A temporary repository has a base branch and a pull request branch that edits one line of a
long defective note and adds a new note; vaultbot runs with the `GITHUB_*` variables set as
GitHub sets them for a `pull_request` event. The action's own `run:` scripts are executed
from `action.yml` with bash.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from gitrepo import git, git_env, make_repo, write
from ruamel.yaml import YAML

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


@pytest.fixture
def pr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    repo = make_repo(
        tmp_path / "repo", {".obsidian/app.json": "{}", "long.md": long_note(BASE_LINE)}
    )
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {"long.md": long_note(PR_LINE), "notes/new.md": NEW_NOTE})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "PR")
    event = tmp_path / "event.json"
    payload = {
        "pull_request": {
            "base": {"sha": base, "ref": "main"},
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
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(repo)
    return {"repo": repo, "base": base, "env": env, "tmp": tmp_path}


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
    validate_sarif(json.loads(sarif.read_text()), expected_results=4)


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
    for line in lines:
        command, _, _message = line[2:].partition("::")
        assert line.startswith("::error file=a%3A%3Aerror file=x.md%3A%3Aboom.md,line=1,")
        assert "::" not in command and "\r" not in line
    assert lines[0].endswith("::Link target '50%25 off, 3:00%0Dnow' does not exist")


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


def run_step(
    name: str, pr: dict[str, Any], inputs: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run one `run:` step of action.yml with bash, its `env:` evaluated as GitHub would."""
    action = YAML(typ="safe").load((ROOT / "action.yml").read_text())
    values = {key: str(spec.get("default", "")) for key, spec in action["inputs"].items()}
    values.update(inputs)
    step = next(s for s in action["runs"]["steps"] if s.get("name") == name)
    context = {
        "github.action_path": str(ROOT),
        "github.event.pull_request.head.ref": "feature",
        **{f"inputs.{k}": v for k, v in values.items()},
    }
    env = {**git_env(pr["tmp"]), **pr["env"]}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    for key, expression in step.get("env", {}).items():
        env[key] = re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: context[m.group(1)], expression)
    return subprocess.run(
        ["bash", "-c", step["run"]], cwd=pr["repo"], env=env, capture_output=True, text=True
    )


def test_action_check_step(pr: dict[str, Any]) -> None:
    done = run_step("Check changed notes", pr, {})
    assert done.returncode == 1, done.stderr  # fail-on: error
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith("::error file=") for line in lines)
    assert (pr["repo"] / "vaultbot.sarif").is_file()
    assert "sarif=vaultbot.sarif" in Path(pr["env"]["GITHUB_OUTPUT"]).read_text()
    assert "## vaultbot" in Path(pr["env"]["GITHUB_STEP_SUMMARY"]).read_text()


def test_action_check_step_passes_args_and_fail_on(pr: dict[str, Any]) -> None:
    done = run_step("Check changed notes", pr, {"args": "--select ED001", "fail-on": "error"})
    assert done.returncode == 0, done.stderr  # the only ED001 is on an unchanged line
    assert done.stdout == ""


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
