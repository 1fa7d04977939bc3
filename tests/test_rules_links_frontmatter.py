"""LK002-LK004 and FM002 beyond their fixtures: fixes byte for byte, messages, reading target
notes once, and the schema configuration of frontmatter-schema."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import VaultFactory, check_json, findings
from hypothesis import given
from hypothesis import strategies as st
from test_rules import FIXTURES, expected

from vaultbot.cli import main
from vaultbot.note import Note
from vaultbot.rules._placeholders import is_placeholder
from vaultbot.rules.fm002_frontmatter_schema import FrontmatterSchema
from vaultbot.rules.lk003_link_heading_missing import (
    LinkHeadingMissing,
    block_ids,
    heading_key,
)
from vaultbot.vault import Vault


def fix(vault: Path, *args: str) -> int:
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        return main(["fix", *args])


def messages(vault: Path, *args: str) -> list[tuple[int, str]]:
    _, document = check_json(vault, *args)
    return [(f["line"], f["message"]) for f in document["findings"]]


# -- LK002 link-malformed: fixes ----------------------------------------------------------------

BEFORE = (
    "---\ntitle: Debris\nrelated: '[[topic | ]]'\n---\n\n"
    "Governments were slow [[topic | [00:02:25]]], as [[topic|00:41:03]] shows "
    "[[topic|[00:42:00] ]].\n"
    "See [[topic | ]] and ![[pic.png|]] and | [[topic\\| ]] |.\n"
    "Models such as [[article_link | Large Language Models (LLMs)]] and [[article_link]].\n"
    "Unclosed [[topic and [[]] stay as they are.\n"
)
SAFE = (
    "---\ntitle: Debris\nrelated: '[[topic]]'\n---\n\n"
    "Governments were slow [[topic | [00:02:25]]], as [[topic|00:41:03]] shows "
    "[[topic|[00:42:00] ]].\n"
    "See [[topic]] and ![[pic.png]] and | [[topic]] |.\n"
    "Models such as [[article_link | Large Language Models (LLMs)]] and [[article_link]].\n"
    "Unclosed [[topic and [[]] stay as they are.\n"
)
UNSAFE = (
    "---\ntitle: Debris\nrelated: '[[topic]]'\n---\n\n"
    "Governments were slow [[topic]] [00:02:25], as [[topic]] [00:41:03] shows "
    "[[topic]] [00:42:00].\n"
    "See [[topic]] and ![[pic.png]] and | [[topic]] |.\n"
    "Models such as Large Language Models (LLMs) and [[article_link]].\n"
    "Unclosed [[topic and [[]] stay as they are.\n"
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize(
    ("args", "after"), [((), SAFE), (("--unsafe-fixes",), UNSAFE)], ids=["safe", "unsafe"]
)
def test_link_malformed_fix(
    make_vault: VaultFactory, newline: str, args: tuple[str, ...], after: str
) -> None:
    vault = make_vault(
        {"topic.md": "# Topic\n", "pic.png": b"\x89PNG", "n.md": BEFORE.replace("\n", newline)}
    )
    assert fix(vault, "--select", "LK002", *args) == 1
    expected_bytes = after.replace("\n", newline).encode("utf-8")
    assert (vault / "n.md").read_bytes() == expected_bytes
    fix(vault, "--select", "LK002", *args)  # a second run changes nothing
    assert (vault / "n.md").read_bytes() == expected_bytes


def test_link_malformed_fix_keeps_bom_and_missing_final_newline(make_vault: VaultFactory) -> None:
    vault = make_vault({"topic.md": "x\n", "n.md": "\ufeffSee [[topic | ]]"})
    assert fix(vault, "--select", "LK002") == 1  # changed
    assert (vault / "n.md").read_bytes() == "\ufeffSee [[topic]]".encode()
    assert fix(vault, "--select", "LK002") == 0  # nothing left to fix or report


def test_timestamp_alias_becomes_an_anchor_in_a_video_note(make_vault: VaultFactory) -> None:
    # LK002 moves the time out of the link; timestamp-bare then makes it an anchor.
    note = "---\nvideoId: Wo95ob_s_NI\n---\nSlow [[topic | [00:02:25]]].\n"
    vault = make_vault({"topic.md": "x\n", "n.md": note})
    assert fix(vault, "--select", "LK002,TS006", "--unsafe-fixes") == 1
    assert (vault / "n.md").read_text() == (
        "---\nvideoId: Wo95ob_s_NI\n---\n"
        'Slow [[topic]] <a class="yt-timestamp" data-t="00:02:25">[00:02:25]</a>.\n'
    )


def test_malformed_links_add_no_garbage_targets(make_vault: VaultFactory) -> None:
    """What LK002 reports gives LK001 nothing to say beyond targets that are really missing."""
    note = (
        "Unclosed [[topic and more.\n"
        "Stray [[cont](topic.md).\n"
        "Empty [[]] and ![[]].\n"
        "Nested [[topic [[topic]].\n"
        "Timestamp [[topic | [00:05:19]]].\n"
        "Alias [[topic | ]].\n"
    )
    vault = make_vault({"topic.md": "x\n", "n.md": note})
    assert findings(vault, "--select", "LK001") == []
    assert [line for _, line, _ in findings(vault, "--select", "LK002")] == [1, 2, 3, 3, 4, 5, 6]


def test_link_malformed_messages(make_vault: VaultFactory) -> None:
    note = "A [[cont](topic.md) b.\nB [[x [[topic]].\nC [[topic | [00:05:19]]].\n"
    vault = make_vault({"topic.md": "x\n", "n.md": note})
    assert messages(vault, "--select", "LK002") == [
        (1, "Unclosed wikilink '[[cont](topic.md) b.': no ']]' on its line"),
        (2, "Unclosed wikilink '[[x [[topic]].': another '[[' opens before its ']]'"),
        (3, "Timestamp [00:05:19] used as the alias of a link to 'topic'"),
    ]


def test_a_matrix_in_prose_is_a_quiet_warning_and_a_bracketed_target_stays_an_error(
    make_vault: VaultFactory,
) -> None:
    """Obsidian shows `[[1, 2], [3, 4]]` as a link to a note that cannot exist, but the writer
    most likely meant a matrix: a warning asking for code or math. Targets that are not a
    list of numbers or quoted strings keep the error."""
    note = (
        "The matrix [[1, 2], [3, 4]] and [[-0.5, 1], [2, 3]] and [['a', 'b'], ['c']].\n"
        "Debris [[government_and_policy_co].]] and [[a], [b]].\n"
        "Code `[[1, 2], [3, 4]]` is not prose.\n"
    )
    vault = make_vault({"n.md": note})
    _, document = check_json(vault, "--select", "LK002")
    got = [(f["line"], f["severity"], f["message"].split(" ")[0]) for f in document["findings"]]
    assert got == [
        (1, "warning", "'[[1,"),
        (1, "warning", "'[[-0.5,"),
        (1, "warning", "'[['a',"),
        (2, "error", "Link"),
        (2, "error", "Link"),
    ]
    assert "write it as code or math" in document["findings"][0]["message"]


def test_placeholders_in_template_folders_are_meant(make_vault: VaultFactory) -> None:
    text = "[[{{title}}]] [[article_link]]\n"
    vault = make_vault({"Templates/Video.md": text, "_templates/t.md": text, "n.md": text})
    assert findings(vault, "--select", "LK002") == [("n.md", 1, "LK002"), ("n.md", 1, "LK002")]


@pytest.mark.parametrize(
    ("target", "placeholder"),
    [
        ("article_link", True),
        ("other_topics_and_links", True),
        ("TOPIC_NAME", True),
        ("related_topic_2", True),
        ("{{title}}", True),
        ("{{date:YYYY-MM-DD}}", True),
        ("<% tp.file.title %>", True),
        ("${topic}", True),
        ("<topic>", True),
        ("{note name}", True),
        # real note names, however close
        ("ai_alignment_and_safety", False),
        ("link_layer", False),
        ("Article_Link", False),
        ("Link", False),
        ("LINK", False),
        ("Topic Name", False),
        ("%APPDATA%", False),
        ("$HOME", False),
        ("<T>", False),
        ("{x}", False),
        ("C#", False),
    ],
)
def test_is_placeholder(target: str, placeholder: bool) -> None:
    assert is_placeholder(target) is placeholder


def test_placeholder_that_resolves_is_a_note(make_vault: VaultFactory) -> None:
    vault = make_vault({"article_link.md": "x\n", "n.md": "[[article_link]] [[topic_name]]\n"})
    assert messages(vault, "--select", "LK002") == [
        (1, "Link target 'topic_name' is a template placeholder, not a note")
    ]


# -- LK003 link-heading-missing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "link"),
    [
        ("Vertical Asymptote", "vertical asymptote"),
        ("What is C#?", "What is C"),
        ("Step 1: Install", "Step 1 Install"),
        ("**Bold** heading", "Bold heading"),
        ("Café", "CAFÉ"),
    ],
)
def test_heading_key_matches_obsidian_spellings(heading: str, link: str) -> None:
    assert heading_key(heading) == heading_key(link)


def test_targets_are_read_once_and_only_when_linked_with_a_subpath(
    make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    files: dict[str, str | bytes] = {
        "A.md": "# One\n",
        "B.md": "# Two\n",
        "C.md": "# Three\n",
        **{f"n{i}.md": "[[A#One]] [[A#Nope]] [[B]] [[C|c]] [[#Own]]\n" for i in range(5)},
    }
    vault = make_vault(files)
    reads: Counter[str] = Counter()
    real = Vault.read

    def counting(self: Vault, rel: str, display: str) -> bytes:
        reads[rel] += 1
        return real(self, rel, display)

    monkeypatch.setattr(Vault, "read", counting)
    found = findings(vault, "--select", "LK003", "--jobs", "1")
    assert sorted(found) == sorted(
        [(f"n{i}.md", 1, "LK003") for i in range(5)] * 2  # A#Nope and #Own
    )
    # Every note is read once to be checked; of the targets only A, once.
    assert reads == Counter(list(files)) + Counter({"A.md": 1})


def test_unreadable_and_non_markdown_targets_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "Bad.md").write_bytes(b"\xff\xfe\x00binary\x00\x00\x00")
    (tmp_path / "doc.pdf").write_bytes(b"%PDF")
    vault = Vault.scan(tmp_path)
    note = Note("n.md", "[[Bad#Heading]] [[doc.pdf#page=3]] [[Gone#Heading]]\n")
    assert list(LinkHeadingMissing().check(note, vault)) == []


def test_heading_missing_message_names_the_closest_heading(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            "Asymptote.md": "## Vertical Asymptote\n\n## Horizontal Asymptote\n",
            "n.md": "[[Asymptote#Vertical Asymptotes]] [[Asymptote#^blk]] [[Asymptote#Zebra]]\n",
        }
    )
    assert messages(vault, "--select", "LK003") == [
        (
            1,
            "Heading 'Vertical Asymptotes' not found in 'Asymptote.md' "
            "(closest: 'Vertical Asymptote')",
        ),
        (1, "Block '^blk' not found in 'Asymptote.md'"),
        (1, "Heading 'Zebra' not found in 'Asymptote.md'"),
    ]


# -- LK004 link-ambiguous -----------------------------------------------------------------------


def test_ambiguous_message_names_candidates_and_the_pick(make_vault: VaultFactory) -> None:
    files: dict[str, str | bytes] = {f"{d}/Key.md": "x\n" for d in ("a", "bb", "ccc", "dddd")}
    files["n.md"] = "[[Key]]\n"
    vault = make_vault(files)
    assert messages(vault, "--select", "LK004") == [
        (
            1,
            "Link 'Key' matches 4 files ('a/Key.md', 'bb/Key.md', 'ccc/Key.md' and 1 more); "
            "Obsidian opens 'a/Key.md'",
        )
    ]


def test_a_neighbour_in_the_notes_own_folder_is_not_ambiguous(make_vault: VaultFactory) -> None:
    # Seen in the zettelkasten corpus: `[[Law of Sines]]` from Math/ with Math/ and Physics/
    # notes of that name. Obsidian opens the neighbour, which is what the writer meant.
    vault = make_vault({"Math/Key.md": "x\n", "Physics/Key.md": "x\n", "Math/n.md": "[[Key]]\n"})
    assert messages(vault, "--select", "LK004") == []


def test_unique_names_and_paths_are_not_ambiguous(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            "a/Key.md": "x\n",
            "b/Key.md": "x\n",
            "Key.png": b"\x89PNG",
            "n.md": "[[a/Key]] [[/b/Key]] ![[Key.png]] [[Other]]\n",
            "Other.md": "x\n",
        }
    )
    assert findings(vault, "--select", "LK004") == []


# -- FM002 frontmatter-schema -------------------------------------------------------------------

SCHEMA = """\
[[rules.frontmatter-schema.schemas]]
folder = ""
required = ["title"]

[[rules.frontmatter-schema.schemas]]
folder = "videos"
required = ["title", "videoId"]
patterns = { videoId = "^[A-Za-z0-9_-]{11}$" }

[[rules.frontmatter-schema.schemas]]
folder = "*/talks"
required = ["speaker"]
"""


def test_frontmatter_schema(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            "vaultbot.toml": SCHEMA,
            "ok.md": "---\ntitle: Fine\n---\nText.\n",
            "bare.md": "Text without front matter.\n",
            "videos/good.md": "---\ntitle: Good\nvideoId: Wo95ob_s_NI\n---\n",
            "videos/sub/bad.md": "---\ntitle: Bad\nvideoId: 'Wo95ob_s_NI&t=5'\n---\n",
            "videos/missing.md": "---\ntitle:\nother: x\n---\n",
            "videos2/not-a-video.md": "---\ntitle: Other folder\n---\n",
            "2024/talks/t.md": "---\ntitle: Talk\n---\n",
            "broken.md": "---\ntitle: [unclosed\n---\n",
        }
    )
    assert sorted(messages(vault, "--select", "FM002")) == sorted(
        [
            (1, "Note has no front matter; required: title (schema for every note)"),
            (3, "Front matter 'videoId' value 'Wo95ob_s_NI&t=5' does not match "
                "'^[A-Za-z0-9_-]{11}$' (schema for 'videos')"),
            (2, "Front matter key 'title' is empty (schema for every note)"),
            (1, "Front matter lacks required key 'videoId' (schema for 'videos')"),
            (1, "Front matter lacks required key 'speaker' (schema for '*/talks')"),
        ]
    )  # fmt: skip
    assert sorted(p for p, _, _ in findings(vault, "--select", "FM002")) == [
        "2024/talks/t.md",
        "bare.md",
        "videos/missing.md",
        "videos/missing.md",
        "videos/sub/bad.md",
    ]


def test_frontmatter_schema_from_pyproject(make_vault: VaultFactory) -> None:
    pyproject = "[tool.vaultbot]\n" + SCHEMA.replace("[[rules.", "[[tool.vaultbot.rules.")
    vault = make_vault({"pyproject.toml": pyproject, "videos/v.md": "---\ntitle: T\n---\n"})
    assert findings(vault, "--select", "FM002") == [("videos/v.md", 1, "FM002")]


def test_no_schema_reports_nothing(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "No front matter.\n", "m.md": "---\nx: 1\n---\n"})
    assert findings(vault, "--select", "FM002") == []


def test_frontmatter_schema_fixture(tmp_path: Path) -> None:
    """FM002.md fires on its `with-schema` lines once a schema applies to it."""
    vault = tmp_path / "vault"
    vault.mkdir()
    shutil.copy(FIXTURES / "FM002.md", vault / "FM002.md")
    (vault / "vaultbot.toml").write_text(
        "[[rules.frontmatter-schema.schemas]]\n"
        'required = ["title", "aliases"]\n'
        "[rules.frontmatter-schema.schemas.patterns]\n"
        'videoId = "^[A-Za-z0-9_-]{11}$"\n'
        'tags = "^[a-z-]+$"\n'
        'year = "^[0-9]{4}$"\n'
        'published = "^(true|false)$"\n'
        'recorded = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"\n'
        'nested = "."\n'
    )
    marked = (FIXTURES / "FM002.md").read_text(encoding="utf-8").replace("with-schema:", "expect:")
    (tmp_path / "expected.md").write_text(marked, encoding="utf-8")
    found = Counter((line, code) for _, line, code in findings(vault, "--select", "FM002"))
    assert found == expected(tmp_path / "expected.md")


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (
            '[[rules.frontmatter-schema.schemas]]\npatterns = { videoId = "[A-Z" }\n',
            "rules.frontmatter-schema.schemas[0].patterns.videoId: invalid regular expression",
        ),
        (
            '[[rules.frontmatter-schema.schemas]]\nfolder = "a"\n'
            '[[rules.frontmatter-schema.schemas]]\nrequired = "title"\n',
            "rules.frontmatter-schema.schemas[1].required: must be a list of key names",
        ),
        (
            "[[rules.frontmatter-schema.schemas]]\npatterns = { year = 2024 }\n",
            "rules.frontmatter-schema.schemas[0].patterns.year: must be a regular expression",
        ),
        (
            "[[rules.frontmatter-schema.schemas]]\nfolder = 3\n",
            "rules.frontmatter-schema.schemas[0].folder: must be a string",
        ),
        (
            "[[rules.frontmatter-schema.schemas]]\nfolders = 'a'\n",
            "rules.frontmatter-schema.schemas[0]: unknown key 'folders'",
        ),
        (
            "[rules.frontmatter-schema]\nschemas = 'videos'\n",
            "rules.frontmatter-schema.schemas: must be a list of tables",
        ),
        (
            "[rules.frontmatter-schema]\nschema = []\n",
            "unknown option 'rules.frontmatter-schema.schema'",
        ),
    ],
)
def test_bad_schema_is_a_config_error(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], schema: str, message: str
) -> None:
    vault = make_vault({"vaultbot.toml": schema, "n.md": "---\ntitle: x\n---\n"})
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_schema_rule_without_options() -> None:
    assert FrontmatterSchema().schemas == ()
    assert (
        list(FrontmatterSchema().check(Note("n.md", "x\n"), Vault.from_files(Path("/"), []))) == []
    )


def test_closest_heading_is_the_most_alike_and_the_larger_on_a_tie() -> None:
    from vaultbot.rules.lk003_link_heading_missing import _closest

    assert _closest("vertical asymptotes", ["vertical asymptote", "limits"]) == "vertical asymptote"
    assert _closest("ab", ["ax", "xb"]) is None  # 50%: under the cutoff
    assert _closest("abcd", ["abce", "abcf"]) == "abcf"  # equally alike: the larger


#: Obsidian's block id, as the rule read it first: `^id` ending a line, at its start or after a
#: space (one pattern tried at every character).
_BLOCK_ID_SPELLED_OUT = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]+)[ \t]*\r?$", re.M)


@given(st.lists(st.sampled_from(["^", "^ab-1", "x", " ", "\t", "\n", "\r", "\r\n", "-", "^^"])))
def test_block_ids_are_found_as_spelled_out(pieces: list[str]) -> None:
    body = "".join(pieces)
    expected = frozenset(m.group(1).lower() for m in _BLOCK_ID_SPELLED_OUT.finditer(body))
    assert block_ids(body) == expected
