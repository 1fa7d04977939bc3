"""The Python API as a user calls it: `check_text`, `fix_text`, `Vault`, and the README's
generation loop, extracted from the README and run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import generated_config

import vaultbot
from vaultbot import Vault, check_text, fix_text

ROOT = Path(__file__).resolve().parents[1]

#: A pipeline's answer: its front matter names the generator (a signal that makes deleting the
#: editorial line a safe fix, see vaultbot.profile), then the model's text.
DEBRIS = (
    "---\ngenerator: lighthouse-notes\n---\n"
    "Here is the modified article with inserted backlinks:\n\n"
    "# Lighthouse keepers\n\nKeepers tended the light, see [[lighthouses_and_the_economics_of"
    "_public_goods]] and [[Fresnel lenses]].\n"
)


def _readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_public_names() -> None:
    assert set(vaultbot.__all__) >= {"Vault", "check_text", "fix_text", "__version__"}
    for name in vaultbot.__all__:
        assert getattr(vaultbot, name) is not None
    with pytest.raises(AttributeError):
        _ = vaultbot.no_such_name  # type: ignore[attr-defined]


def test_the_readme_example_runs_and_retries_until_the_note_is_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = _readme_example()
    assert len(example.strip().splitlines()) <= 14
    shutil.copytree(ROOT / "examples" / "vault", tmp_path / "vault")
    monkeypatch.chdir(tmp_path)
    prompts: list[str] = []

    def ask_model(prompt: str) -> str:  # the model: a missing link first, then a fixed answer
        prompts.append(prompt)
        return DEBRIS if len(prompts) == 1 else DEBRIS.replace(" and [[Fresnel lenses]]", "")

    exec(compile(example, "README.md", "exec"), {"ask_model": ask_model})
    assert len(prompts) == 2
    assert "Fix line 6: Link target 'Fresnel lenses' does not exist." in prompts[1]
    written = (tmp_path / "vault" / "keepers.md").read_text(encoding="utf-8")
    # the editorial line was fixed away
    assert written.startswith("---\ngenerator: lighthouse-notes\n---\n# Lighthouse keepers\n")


def test_check_text_resolves_links_against_a_folder(tmp_path: Path) -> None:
    (tmp_path / "Topic A.md").write_text("# A\n", encoding="utf-8")
    generated_config(tmp_path)  # a pipeline's vault: every missing link is reported
    vault = Vault.from_folder(tmp_path)
    found = check_text("See [[Topic A]] and [[Topic B]].\n", path="new.md", vault=vault)
    assert [(f.code, f.line, f.column, f.message) for f in found] == [
        ("LK001", 1, 21, "Link target 'Topic B' does not exist")
    ]
    assert found[0].path == "new.md" and found[0].severity == "error"


def test_vault_from_names_reads_no_file() -> None:
    vault = Vault.from_names(["Topic A", "people/Ada.md", "img.png"])
    text = "[[Topic A]] [[Ada]] ![[img.png]] [[Nobody]] [[new]]\n"
    found = check_text(text, path="new.md", vault=vault)
    assert [f.message for f in found] == ["Link target 'Nobody' does not exist"]


def test_a_vault_of_names_is_generated_however_many_names() -> None:
    # No note is read, so none bears signals: detection would call it personal, and a
    # pipeline's hallucinated topic would go unreported (it did from 20 names on).
    for count in (1, 25, 250):
        vault = Vault.from_names([f"Topic {i}" for i in range(count)])
        found = check_text("[[Topic 0]] [[Nobody]]\n", path="new.md", vault=vault)
        assert [(f.message, f.severity) for f in found] == [
            ("Link target 'Nobody' does not exist", "error")
        ]


def test_the_vault_config_applies(tmp_path: Path) -> None:
    (tmp_path / "vaultbot.toml").write_text(
        'profile = "generated"\nignore = ["link-target-missing"]\n', encoding="utf-8"
    )
    assert check_text("[[Nobody]]\n", vault=Vault.from_folder(tmp_path)) == []
    assert check_text("[[Nobody]]\n", select=["LK001"]) != []
    assert check_text("[[Nobody]]\n", ignore=["LK"]) == []


def test_fix_text_returns_the_text_and_the_fixes() -> None:
    fixed = fix_text(DEBRIS, path="n.md", vault=Vault.from_names([]))
    assert fixed.text == DEBRIS.replace(
        "Here is the modified article with inserted backlinks:\n\n", ""
    )
    assert [(f.code, f.rule, f.line) for f in fixed.fixes] == [("ED001", "editorial-line", 4)]
    assert fixed.fixes[0].title
    assert fixed.fixed == {"ED001": 1}
    assert {f.code for f in fixed.remaining} == {"LK001"}
    assert fix_text(fixed.text, path="n.md").fixes == []  # fixing twice = fixing once


def test_suppressions_work_through_the_api() -> None:
    assert check_text("[[Nobody]] %% vaultbot: ignore[link-target-missing] %%\n") == []


def test_odd_arguments_are_named_errors(tmp_path: Path) -> None:
    """What a first caller gets wrong is one error naming the argument, not a traceback from
    deep inside (None or bytes for the text, a Path or an absolute path for `path`, a string
    where a list goes, a folder that does not exist)."""
    (tmp_path / "a.md").write_text("[[b]]\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("x\n", encoding="utf-8")
    generated_config(tmp_path)
    vault = Vault.from_folder(tmp_path)
    with pytest.raises(TypeError, match="text must be a str, not NoneType"):
        check_text(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"not bytes \(decode it first"):
        fix_text(b"[[x]]")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"not writable as UTF-8: '\\udcff' at offset 1"):
        check_text("a\udcff [[x]]")  # text decoded with errors="surrogateescape"
    with pytest.raises(TypeError, match=r"vault must be a vaultbot\.Vault"):
        check_text("x", "a.md", str(tmp_path))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="path must be a str or a path"):
        check_text("x", None, vault)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="path must name a note"):
        check_text("x", "", vault)
    for outside in ("../x.md", str(tmp_path.parent / "x.md")):
        with pytest.raises(ValueError, match="is outside the vault"):
            check_text("x", outside, vault)
    with pytest.raises(NotADirectoryError, match="no such folder"):
        Vault.from_folder(tmp_path / "nope")
    with pytest.raises(NotADirectoryError, match="not a folder"):
        Vault.from_folder(tmp_path / "a.md")
    with pytest.raises(TypeError, match="a list of names"):
        Vault.from_names("abc")
    # A path object, or the note's absolute path inside the vault, is the note itself.
    assert check_text("[[b]]\n", tmp_path / "a.md", vault) == []
    assert check_text("[[b]]\n", Path("a.md"), vault) == []
    [missing] = check_text("[[zz]]\n", tmp_path / "a.md", vault)
    assert missing.path == str(tmp_path / "a.md") and missing.code == "LK001"
    # One code as a string is that code, as `--select LK001` is.
    assert {r.code for r in check_text("[[zz]]\n# T\n", select="LK001")} == {"LK001"}
    assert check_text("", "note.md") == []
