"""Hostile file names and link texts never crash a run nor corrupt a note: the real CLI, end to end.

Each shape is a small vault of its own (with `canary.md`, which holds a safe fix, so a run that
stopped early or left the vault's other notes alone shows). One run of each command covers
every vault (`vaultbot check A B C ...`; each is its own vault, by its `.obsidian/`), in a
person's vault (`auto`: no config, detection chooses) and in a generated one; the tests then
look at each shape's part of the output. A shape the file system refuses is skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from gitrepo import git, git_env

BARE = '<a class="yt-timestamp" data-t="00:01:09">00:01:09</a>'
#: A note with one safe fix (TS008): in every vault, to show its other notes were processed.
CANARY = f"At {BARE}.\n".encode()
FIXED_CANARY = b">[00:01:09]</a>"

E = "\u00e9"
NFD = unicodedata.normalize("NFD", f"caf{E}")
LONG = "n" * 252  # with `.md`: 255 bytes, the longest name of the common file systems
LONG_UTF8 = E * 126  # 252 bytes
DEEP = "/".join(["d"] * 60)


def _char_shape(ch: str) -> dict[bytes, bytes]:
    """A file whose name holds `ch`, links that name it, miss it by one character or differ
    only by `ch`, as wikilinks and Markdown links."""
    text = f"[[a{ch}b]] [[ab]] [[a{ch}c]] [[a b]] [x](a{ch}b.md) [y](ab.md)\n"
    return {f"a{ch}b.md".encode(): b"# N\n", b"links.md": text.encode()}


#: shape -> {file name (bytes, as on disk): content}
SHAPES: dict[str, dict[bytes, bytes]] = {
    # names that are not UTF-8, and links that resolve to them, miss them by a typo, by case,
    # or are ambiguous with them
    "not-utf8-name": {
        b"caf\xe9.md": b"# C\n",
        b"a.md": f"[[caf{E}]] [[cafx]] [[CAFE]] [[caf]]\n".encode(),
    },
    "not-utf8-typo": {
        b"caf\xe9 notes.md": b"# C\n",
        b"a.md": b"See [[caf notes]] [[cafe notes]] [[CAF NOTES]] [[caf  notes]].\n",
    },
    "not-utf8-folder-ambiguous": {
        b"d\xff/note.md": b"[[Missing]] [[note]]\n",
        b"e/note.md": b"# E\n",
        b"a.md": b"[[note]] [[nte]] [[NOTE]] [[d/note]]\n",
    },
    "not-utf8-two-names": {
        b"x/caf\xe9.md": b"# C\n",
        b"y/caf\xe9.md": b"# D\n",
        b"Plan \xff.md": b"# P\n",
        b"a.md": b"[[caf]] [[cafe]] [[Plan]] [[plan x]] [[planx]]\n",
    },
    "not-utf8-note-with-fixes": {
        b"caf\xe9.md": b"[[a]] [[Missin]] [[A]]\n" + CANARY,
        b"a.md": b"# A\n",
    },
    # names holding characters a wikilink cannot hold, or that mean something in links
    "name-pipe": _char_shape("|"),
    "name-hash": _char_shape("#"),
    "name-caret": _char_shape("^"),
    "name-open-bracket": _char_shape("["),
    "name-close-bracket": _char_shape("]"),
    "name-percent": _char_shape("%"),
    "name-newline": _char_shape("\n"),
    "name-carriage-return": _char_shape("\r"),
    "name-tab": _char_shape("\t"),
    "name-spaces-around": {
        b" ab .md": b"# N\n",
        b"a.md": b"[[ab]] [[ ab ]] [[a b]] [y](ab.md) [z](<ab .md>)\n",
    },
    "name-quotes": {
        b'a"b.md': b"# N\n",
        b"c'd.md": b"# N\n",
        b"a.md": b'---\nup: "[[ab]]"\nside: \'[[cd]]\'\nlist:\n  - "[[ab]]"\n---\n[[ab]] [[cd]]\n',
    },
    "name-controls": {
        b"t\x01x.md": b"# N\n",
        "\u202etxt.md".encode(): b"# N\n",
        "a\u2028b.md".encode(): b"# N\n",
        b"a.md": b"[[tx]] [[txt]] [[ab]] [[t\x01x]]\n",
    },
    "name-dots": {
        b"..md": b"# x\n",
        b"...md": b"# y\n",
        b"a.md": b"[[.]] [[..]] [[...]] [z](..md) [[.md]]\n",
    },
    "name-only-md": {b".md": b"# hidden\n", b"a.md": b"[[]] [[.md]] [[md]] [x](.md)\n"},
    # names that differ only by case or by Unicode normalization, in one folder and in two
    "case-one-folder": {
        b"Note.md": b"# A\n",
        b"note.md": b"# B\n",
        b"a.md": b"[[NOTE]] [[Nte]] [[note]] [[Note]]\n",
    },
    "case-two-folders": {
        b"x/Note.md": b"# A\n",
        b"y/note.md": b"# B\n",
        b"a.md": b"[[NOTE]] [[Nte]] [[note]] [[x/note]]\n",
    },
    "nfc-nfd-one-folder": {
        f"caf{E}.md".encode(): b"# A\n",
        f"{NFD}.md".encode(): b"# B\n",
        b"a.md": f"[[caf{E}]] [[{NFD}]] [[cafe]] [[CAF{E.upper()}]]\n".encode(),
    },
    "nfc-nfd-two-folders": {
        f"x/caf{E}.md".encode(): b"# A\n",
        f"y/{NFD}.md".encode(): b"# B\n",
        b"a.md": f"[[caf{E}]] [[{NFD}]] [[cafe]] [[cafx]]\n".encode(),
    },
    "folder-named-x.md": {
        b"x.md/inner.md": b"[[x]] [[inner]]\n",
        b"a.md": b"[[x]] [[x.md]] [[x.md/inner]] [[innr]]\n",
    },
    "name-255-bytes": {
        f"{LONG}.md".encode(): b"# L\n",
        b"a.md": f"[[{LONG}]] [[{LONG[:-1]}x]] [[{LONG}x]]\n".encode(),
    },
    "name-255-bytes-utf8": {
        f"{LONG_UTF8}.md".encode(): b"# L\n",
        b"a.md": f"[[{LONG_UTF8}]] [[{LONG_UTF8[:-1]}x]]\n".encode(),
    },
    "deep-folders": {
        f"{DEEP}/leaf.md".encode(): b"[[leaf]] [[lef]] [[a]]\n",
        b"a.md": f"[[leaf]] [[lef]] [[{DEEP}/leaf]] [[{DEEP}/lef]]\n".encode(),
    },
    # link texts
    "link-controls": {
        b"t.md": b"# T\n",
        b"a.md": "[[t\x01]] [[t\x1b[31m]] [[\u202et]] [[t\u202e]] [[t\x7f]] [[t\u2028x]]\n".encode(),
    },
    "link-lone-cr-and-nul": {b"t.md": b"# T\n", b"a.md": b"[[a\rb]] [[t\x00]] [x](t\x00.md)\r"},
    "link-10000-chars": {
        b"t.md": b"# T\n",
        b"a.md": (
            "[[" + "x" * 10000 + "]] [t](" + "y" * 10000 + ".md) [[t" + "#" * 10000 + "]]\n"
        ).encode(),
    },
    "link-empty-parts": {
        b"t.md": b"# T\n",
        b"a.md": b"[[]] [[|]] [[#]] [[^]] [[#^]] [[|x]] ![[x.png|100]] ![[]] [text](<a b.md>) "
        b"[](<>) []()\n",
    },
    "link-percent": {
        f"caf{E}.md".encode(): b"# C\n",
        b"a b.md": b"# S\n",
        b"a.md": b"[t](caf%C3%A9.md) [t](%ZZ.md) [t](caf%E9.md) [t](%2e%2e/x.md) [u](a%20b.md) "
        b"[v](caf%C3%A8.md) [w](%00.md) [x](%)\n",
    },
    "link-escapes-vault": {
        b"a.md": b"[[../x]] [[../../etc/passwd]] [t](../x.md) [t](/etc/passwd) [[/etc/passwd]] "
        b"[t](file:///etc/passwd) [[C:\\x]] [t](C:/x.md) [[..\\x]] [t](//host/x.md)\n",
        b"sub/b.md": b"[[../a]] [[../../a]] [[../ab]] [t](../a.md) [t](../../a.md)\n",
    },
}

#: The notes of a shape that a fix may change (besides `canary.md`): `a.md` and `links.md` (the
#: note of links to a name that `a|b` would hide: `[[a|b|ab]]` is a link to `a`) unless said
#: otherwise.
MAY_CHANGE: dict[str, set[bytes]] = {
    "not-utf8-folder-ambiguous": {b"a.md", b"d\xff/note.md"},
    "not-utf8-note-with-fixes": {b"caf\xe9.md"},
    "folder-named-x.md": {b"a.md", b"x.md/inner.md"},
    "deep-folders": {b"a.md", f"{DEEP}/leaf.md".encode()},
    "link-escapes-vault": {b"a.md", b"sub/b.md"},
}

PROFILES = ("generated", "auto")


@dataclass
class Ran:
    code: int
    out: bytes
    err: bytes

    def sound(self) -> None:
        """Exit 0 or 1, no traceback, standard error UTF-8."""
        err = self.err.decode("utf-8")  # raises on bytes that are not UTF-8
        assert "Traceback" not in err, err
        assert self.code in (0, 1), (self.code, err[-2000:])


def vaultbot(cwd: Path, *args: str | Path) -> Ran:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "VAULTBOT_"))}
    env.update(NO_COLOR="1")
    command = [sys.executable, "-m", "vaultbot", *map(str, args)]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    return Ran(done.returncode, done.stdout, done.stderr)


def build(root: Path, files: dict[bytes, bytes], generated: bool) -> bool:
    """Write the vault at `root` (with `canary.md`); False when the file system refuses a name."""
    (root / ".obsidian").mkdir(parents=True)
    if generated:
        (root / "vaultbot.toml").write_text('profile = "generated"\n', encoding="utf-8")
    base = os.fsencode(root)
    try:
        for rel, data in {**files, b"canary.md": CANARY}.items():
            path = os.path.join(base, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
            if os.path.basename(path) not in os.listdir(
                os.path.dirname(path)
            ):  # a name the file system changed
                return False
    except OSError:
        return False
    return True


def snapshot(root: Path) -> dict[bytes, bytes]:
    """Every file below `root` (by its path as bytes, relative), but the cache's."""
    base = os.fsencode(root)
    found: dict[bytes, bytes] = {}
    for folder, dirs, names in os.walk(base):
        dirs[:] = [d for d in dirs if d != b".vaultbot_cache"]
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, base)] = handle.read()
    return found


def part(snap: dict[bytes, bytes], shape: str) -> dict[bytes, bytes]:
    prefix = shape.encode() + b"/"
    return {k[len(prefix) :]: v for k, v in snap.items() if k.startswith(prefix)}


@dataclass
class Suite:
    """The shapes' vaults under `root / profile`, and the commands run over all of them (each
    once, when a test first asks). When such a run is not sound (exit 2, a traceback), a
    shape's test runs the command again on its vault alone, so that it fails only for the
    shapes that fail (an error line names a note by its vault's path, not which vault)."""

    root: Path
    shapes: dict[str, list[str]] = field(default_factory=dict)  # profile -> shapes built
    runs: dict[tuple[str, ...], Ran] = field(default_factory=dict)
    before: dict[str, dict[bytes, bytes]] = field(default_factory=dict)

    def folder(self, profile: str, copy: str = "", shape: str = "") -> Path:
        return self.root / f"{profile}{copy}{'@' + shape if shape else ''}"

    def run(self, profile: str, *args: str, copy: str = "", shape: str = "") -> Ran:
        """`vaultbot ARGS SHAPE...` in the profile's folder (or a copy of it, made once, for
        a command that writes); with `shape`, that shape's vault only, in a folder of its own."""
        key = (profile, copy, shape, *args)
        if key not in self.runs:
            folder = self.folder(profile, copy, shape)
            if (copy or shape) and not folder.exists():
                if shape:
                    origin = os.fsencode(self.folder(profile) / shape)
                    shutil.copytree(origin, os.fsencode(folder / shape), symlinks=True)
                else:
                    shutil.copytree(self.folder(profile), folder, symlinks=True)
            self.runs[key] = vaultbot(folder, *args, *([shape] if shape else self.shapes[profile]))
        return self.runs[key]

    def run_for(
        self, profile: str, shape: str, *args: str, copy: str = ""
    ) -> tuple[Ran, tuple[str, str]]:
        """The run over every shape when it is sound, else the run of `shape` alone; and where
        it ran (`copy`, `shape` of `folder`). The run is sound (exit 0 or 1, no traceback)."""
        ran = self.run(profile, *args, copy=copy)
        where = (copy, "")
        if ran.code not in (0, 1) or b"Traceback" in ran.err:
            where = (copy or "-alone", shape)
            ran = self.run(profile, *args, copy=where[0], shape=shape)
        ran.sound()
        return ran, where

    def findings(
        self, profile: str, shape: str, *args: str, where: tuple[str, str] = ("", "")
    ) -> list[dict[str, Any]]:
        """The shape's findings in `check --format json ARGS` (in the copy `where` names)."""
        command = ("check", "--format", "json", *args)
        if where[1]:  # the shape alone
            ran = self.run(profile, *command, copy=where[0], shape=where[1])
            ran.sound()
        else:
            ran, _ = self.run_for(profile, shape, *command, copy=where[0])
        findings: list[dict[str, Any]] = json.loads(ran.out.decode("utf-8"))["findings"]
        return of_shape(findings, shape)


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Suite:
    root = tmp_path_factory.mktemp("hostile")
    made = Suite(root)
    for profile in PROFILES:
        made.shapes[profile] = [
            shape
            for shape, files in SHAPES.items()
            if build(root / profile / shape, files, profile == "generated")
        ]
        made.before[profile] = snapshot(root / profile)
    return made


def of_shape(findings: list[dict[str, Any]], shape: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["path"].startswith(f"{shape}/")]


def built(suite: Suite, profile: str, shape: str) -> None:
    if shape not in suite.shapes[profile]:
        pytest.skip(f"this file system refuses a name of {shape!r}")


def cases() -> Iterator[Any]:
    for profile in PROFILES:
        for shape in SHAPES:
            yield pytest.param(profile, shape, id=f"{profile}-{shape}")


CASES = list(cases())


@pytest.mark.parametrize(("profile", "shape"), CASES)
def test_check_json_reports_the_shape_and_its_other_notes(
    suite: Suite, profile: str, shape: str
) -> None:
    """`check --format json`, then again from the cache: the same findings, the canary among
    them, every path and fix text one a note could be named or hold."""
    built(suite, profile, shape)
    first = suite.findings(profile, shape)
    assert any(f["path"] == f"{shape}/canary.md" and f["code"] == "TS008" for f in first), first
    cached = suite.findings(profile, shape, "--exit-zero")
    assert cached == first
    for finding in first:
        assert os.path.exists(os.fsencode(suite.folder(profile) / finding["path"]))
        for edit in (finding["fix"] or {}).get("edits", []):
            edit["content"].encode("utf-8")  # a lone surrogate (a byte of a name) raises
    assert snapshot(suite.folder(profile)) == suite.before[profile]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    "args",
    [
        ("--format", "text"),
        ("--format", "concise"),
        ("--format", "github"),
        ("--statistics",),
        ("--format", "sarif"),
    ],
    ids=["text", "concise", "github", "statistics", "sarif"],
)
def test_check_every_format_is_utf8(suite: Suite, profile: str, args: tuple[str, ...]) -> None:
    """Every format's output is UTF-8 (SARIF parses) and names every shape's canary."""
    ran = suite.run(profile, "check", "--no-cache", *args)
    ran.sound()
    out = ran.out.decode("utf-8")
    if args[-1] == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
        assert {f"{shape}/canary.md" for shape in suite.shapes[profile]} <= uris
    elif args[0] != "--statistics":
        for shape in suite.shapes[profile]:
            assert f"{shape}/canary.md" in out, shape
    if args[-1] == "github":
        stray = [line for line in out.split("\n") if line.strip() and not line.startswith("::")]
        assert not stray, stray


@pytest.mark.parametrize("profile", PROFILES)
def test_check_report_files_and_baseline(suite: Suite, profile: str, tmp_path: Path) -> None:
    """`-o`, `--sarif`, `--summary`, `--counts` write UTF-8; a baseline of every finding
    (messages that name files whose names are not UTF-8 included) accepts them all."""
    out, sarif, summary, counts = (tmp_path / n for n in ("o.txt", "r.sarif", "s.md", "c.txt"))
    ran = suite.run(profile, "check", "--no-cache", "-o", str(out), "--sarif", str(sarif),
                    "--summary", str(summary), "--counts", str(counts))  # fmt: skip
    ran.sound()
    for written in (out, summary, counts):
        written.read_text(encoding="utf-8")
    json.loads(sarif.read_text(encoding="utf-8"))

    baseline = tmp_path / "baseline.json"
    suite.run(
        profile, "check", "--no-cache", "--baseline", str(baseline), "--write-baseline"
    ).sound()
    json.loads(baseline.read_text(encoding="utf-8"))
    again = suite.run(
        profile, "check", "--no-cache", "--format", "json", "--baseline", str(baseline)
    )
    again.sound()
    assert json.loads(again.out.decode("utf-8"))["findings"] == []


@pytest.mark.parametrize("profile", PROFILES)
def test_fix_diff_writes_nothing(suite: Suite, profile: str) -> None:
    """`fix --diff` writes no file, and its diff is UTF-8 but for the names of notes whose
    names are not (a diff for `patch` holds a name's bytes)."""
    ran = suite.run(profile, "fix", "--diff", "--unsafe-fixes", copy="-diff")
    ran.sound()
    for line in ran.out.split(b"\n"):
        if not line.startswith((b"--- a/", b"+++ b/")):
            line.decode("utf-8")
    for shape in suite.shapes[profile]:
        assert f"+++ b/{shape}/canary.md".encode() in ran.out, shape
    assert snapshot(suite.folder(profile, "-diff")) == suite.before[profile]


def fixed_case(suite: Suite, profile: str, shape: str, *args: str) -> None:
    """Run `fix ARGS` (on a copy of the vaults) and look at the shape's part: the canary is
    fixed, only the notes a fix may change changed, every note written is UTF-8, every LK001
    finding that offered a fix the run applies is gone (a relink leads to its file), and no
    finding of another rule appeared."""
    built(suite, profile, shape)
    copy = "-fix" + "".join(args)
    before = part(suite.before[profile], shape)
    found = suite.findings(profile, shape)
    ran, where = suite.run_for(profile, shape, "fix", *args, copy=copy)
    ran.out.decode("utf-8")
    after = part(snapshot(suite.folder(profile, *where)), shape)
    assert after.keys() == before.keys(), sorted(after.keys() ^ before.keys())
    assert FIXED_CANARY in after[b"canary.md"], ran.err.decode()
    changed = {rel for rel in after if after[rel] != before[rel]} - {b"canary.md"}
    assert changed <= MAY_CHANGE.get(shape, {b"a.md", b"links.md"}), changed
    for rel in changed:
        after[rel].decode("utf-8")

    unsafe = "--unsafe-fixes" in args
    fixable = [
        f for f in found
        if f["code"] == "LK001" and f["fix"] and (unsafe or f["fix"]["applicability"] == "safe")
    ]  # fmt: skip
    left = suite.findings(profile, shape, "--no-cache", where=where)
    lk001 = Counter(f["path"] for f in found if f["code"] == "LK001")
    lk001.subtract(f["path"] for f in fixable)
    assert Counter(f["path"] for f in left if f["code"] == "LK001") == +lk001, left
    # and no fix makes another finding (`[[a[b|ab]]` or a link cut by a line break: LK002)
    others = Counter((f["path"], f["code"]) for f in found if f["code"] != "LK001")
    new = Counter((f["path"], f["code"]) for f in left if f["code"] != "LK001") - others
    assert not new, left


@pytest.mark.parametrize(("profile", "shape"), CASES)
def test_fix(suite: Suite, profile: str, shape: str) -> None:
    fixed_case(suite, profile, shape)


@pytest.mark.parametrize(("profile", "shape"), CASES)
def test_fix_unsafe(suite: Suite, profile: str, shape: str) -> None:
    fixed_case(suite, profile, shape, "--unsafe-fixes")


#: What no stub's name may hold: controls, bidirectional controls, invisible separators, and
#: what Obsidian refuses in a note's name or says breaks a link to it.
HOSTILE_IN_NAME = re.compile(
    '[\x00-\x1f\x7f-\x9f*"\\\\<>:|?#^\\[\\]\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e'
    "\u2060\u2066-\u2069\ufeff]"
)


@pytest.mark.parametrize(("profile", "shape"), CASES)
def test_stubs_have_plain_names_inside_the_vault(suite: Suite, profile: str, shape: str) -> None:
    """`--link-strategy stub` creates notes only inside the shape's vault, with names that a
    reader can see and a link can name; no existing note but those fixed changes."""
    built(suite, profile, shape)
    copy = "-stub"
    args = ("fix", "--unsafe-fixes", "--link-strategy", "stub")
    _, where = suite.run_for(profile, shape, *args, copy=copy)
    before = part(suite.before[profile], shape)
    everything = snapshot(suite.folder(profile, *where))
    after = part(everything, shape)
    for rel in after.keys() - before.keys():
        name = rel.decode("utf-8")
        assert not HOSTILE_IN_NAME.search(name), name
        assert after[rel].startswith(b"---\ntitle: "), after[rel]
    assert before.keys() <= after.keys()
    assert all(rel.split(b"/", 1)[0].decode() in SHAPES for rel in everything)


#: The shapes `clean` runs on (one vault a run): those whose names the report and table show.
CLEANED = ("not-utf8-name", "not-utf8-typo", "not-utf8-folder-ambiguous", "not-utf8-two-names",
           "not-utf8-note-with-fixes", "name-pipe", "name-newline", "name-spaces-around",
           "name-quotes", "name-controls", "nfc-nfd-one-folder", "link-escapes-vault")  # fmt: skip


@pytest.mark.parametrize("shape", CLEANED)
def test_clean_writes_a_utf8_report(suite: Suite, shape: str, tmp_path: Path) -> None:
    """`clean --unsafe-fixes --report` on a copy of the shape's vault: exit 0/1, a UTF-8
    report and table, the canary fixed."""
    built(suite, "generated", shape)
    vault = tmp_path / "vault"
    shutil.copytree(os.fsencode(suite.folder("generated") / shape), os.fsencode(vault))
    report = tmp_path / "report.html"
    ran = vaultbot(tmp_path, "clean", "--unsafe-fixes", "--report", report, vault)
    ran.sound()
    ran.out.decode("utf-8")
    assert "</html>" in report.read_text(encoding="utf-8")
    assert FIXED_CANARY in (vault / "canary.md").read_bytes()


def test_staged_check_of_hostile_names(tmp_path: Path) -> None:
    """The pre-commit path: `check --staged` in a real repository whose index holds hostile
    names (git quotes them unless asked for raw bytes)."""
    repo = tmp_path / "repo"
    shapes = ("not-utf8-typo", "name-pipe", "name-newline", "name-spaces-around",
              "nfc-nfd-one-folder", "name-quotes", "link-percent")  # fmt: skip
    files: dict[bytes, bytes] = {b".obsidian/app.json": b"{}"}
    for shape in shapes:
        files.update({shape.encode() + b"/" + rel: data for rel, data in SHAPES[shape].items()})
    if not build(repo, files, generated=True):
        pytest.skip("this file system refuses a name of the shapes")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "commit.gpgsign", "false")
    git(repo, "add", "-A")
    done = subprocess.run(
        [sys.executable, "-m", "vaultbot", "check", "--staged", "--format", "json"],
        cwd=repo, env=git_env(tmp_path), capture_output=True, check=False,
    )  # fmt: skip
    ran = Ran(done.returncode, done.stdout, done.stderr)
    ran.sound()
    findings = json.loads(ran.out.decode("utf-8"))["findings"]
    assert any(f["path"] == "canary.md" and f["code"] == "TS008" for f in findings), findings
    paths = {f["path"] for f in findings}
    assert {shape for shape in shapes} <= {path.split("/")[0] for path in paths}, paths
    for finding in findings:
        for edit in (finding["fix"] or {}).get("edits", []):
            edit["content"].encode("utf-8")
