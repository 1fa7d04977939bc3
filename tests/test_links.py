"""Link extraction and Obsidian's link resolution (DESIGN.md §4), rule by rule."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from conftest import GENERATED, VaultFactory, findings
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultbot import links
from vaultbot.links import all_links, decode_uri, split_wikilink
from vaultbot.note import Note
from vaultbot.vault import Vault

FILES = [
    "Top.md",
    "Note.md",
    "folder/Note.md",
    "folder/Deep.md",
    "folder/sub/Deep.md",
    "other/Deep.md",
    "a/b/c.md",
    "ab/c.md",
    "x/Only Here.md",
    "img.png",
    "docs/Manual.pdf",
    "v1.2 notes.md",
    "Café.md",
    ".obsidian/Secret.md",
    ".trash/Gone.md",
    "folder/.hidden/Inside.md",
]


@pytest.fixture
def vault() -> Vault:
    return Vault.from_files(Path("/vault"), FILES)


@pytest.mark.parametrize(
    ("target", "source", "expected"),
    [
        # rule 10: case-insensitive
        ("top", "Note.md", "Top.md"),
        ("TOP", "folder/Deep.md", "Top.md"),
        # rule 11: one candidate for a bare name wins, wherever it is
        ("Only Here", "Top.md", "x/Only Here.md"),
        # rule 12: several candidates: an exact vault-root path wins ...
        ("Note", "Top.md", "Note.md"),
        ("Note", "folder/Deep.md", "Note.md"),
        # ... else those under the source's folder first, then the shortest path
        ("Deep", "Top.md", "other/Deep.md"),
        ("Deep", "folder/x.md", "folder/Deep.md"),
        ("Deep", "folder/sub/x.md", "folder/sub/Deep.md"),
        ("Deep", "other/x.md", "other/Deep.md"),
        # rule 12: an exact vault-root path wins; else a plain suffix match on the path
        ("folder/Note", "Top.md", "folder/Note.md"),
        ("sub/Deep", "Top.md", "folder/sub/Deep.md"),
        ("a/b/c", "Top.md", "a/b/c.md"),
        ("b/c", "Top.md", "ab/c.md"),  # a plain string suffix, so `ab/c.md` matches too
        # rule 11: ./ and ../ resolve against the source folder and need an exact match
        ("./Deep", "folder/x.md", "folder/Deep.md"),
        ("../Top", "folder/x.md", "Top.md"),
        ("../other/Deep", "folder/x.md", "other/Deep.md"),
        # a leading / is the vault root
        ("/folder/Deep", "other/x.md", "folder/Deep.md"),
        # rule 9: a last segment with a dot is looked up as is, then with .md
        ("Note.md", "Top.md", "Note.md"),
        ("img.png", "Top.md", "img.png"),
        ("Manual.pdf", "Top.md", "docs/Manual.pdf"),
        ("v1.2 notes", "Top.md", "v1.2 notes.md"),
        # rule 10: NFC-normalised
        (unicodedata.normalize("NFD", "Café"), "Top.md", "Café.md"),
        ("café", "Top.md", "Café.md"),
        # rule 4: an empty target (`[[#heading]]`) is the note itself
        ("", "folder/Deep.md", "folder/Deep.md"),
    ],
)
def test_resolves(vault: Vault, target: str, source: str, expected: str) -> None:
    assert vault.resolve(target, source) == expected


@pytest.mark.parametrize(
    ("target", "source"),
    [
        ("Missing", "Top.md"),
        ("img", "Top.md"),  # rule 9: no extension means .md, so img.png is not found
        ("Manual", "Top.md"),
        ("./Deep", "Top.md"),  # ./ needs the file in the source's own folder
        ("./Note", "other/x.md"),
        ("../../Top", "folder/x.md"),  # above the vault root
        ("/Deep", "Top.md"),  # leading / is an exact vault-root path
        ("/sub/Deep", "Top.md"),
        ("Secret", "Top.md"),  # rule 8: hidden folders are never targets
        (".obsidian/Secret", "Top.md"),
        ("Gone", "Top.md"),
        ("Inside", "Top.md"),
        ("c/Deep", "Top.md"),  # suffix must match the path, not just the name
        ("x/b/c", "Top.md"),
    ],
)
def test_does_not_resolve(vault: Vault, target: str, source: str) -> None:
    assert vault.resolve(target, source) is None


#: Targets of every kind: bare names of one file and of several, paths, relative and absolute
#: links, names with and without an extension, hidden and missing files, case and NFC variants.
TARGETS = ["Top", "TOP", "Note", "Deep", "Deep.md", "folder/Note", "sub/Deep", "Only Here",
           "c", "b/c", "a/b/c", "./Deep", "../Note", "./sub/Deep", "../Top", "./Top",
           "./x/Only Here", "/Note", "/folder/Deep",
           "img.png", "img", "Manual.pdf", "v1.2 notes", "Café", "Cafe\u0301", "Secret",
           "Inside", "Missing", "x/b/c"]  # fmt: skip
SOURCES = [f for f in FILES if f.endswith(".md")] + ["new/deeper/x.md"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TARGETS), st.sampled_from(SOURCES)), max_size=40))
def test_a_vault_resolves_each_link_as_a_fresh_one_does(links: list[tuple[str, str]]) -> None:
    """`resolve` keeps the answers that do not depend on the linking note (most of a vault's
    links are resolved by several rules): asked in any order, one vault answers each link as
    a vault asked nothing before it does."""
    shared = Vault.from_files(Path("/vault"), FILES)
    for target, source in links:
        fresh = Vault.from_files(Path("/vault"), FILES)
        assert shared.resolve(target, source) == fresh.resolve(target, source), (target, source)


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ("t", ("t", "", None)),
        ("t|a", ("t", "", "a")),
        ("t | a", ("t", "", "a")),  # rule 3: both sides trimmed
        ("t\\|a", ("t", "", "a")),  # rule 3: `\|` inside tables
        ("t#Heading|a", ("t", "#Heading", "a")),  # rule 4
        ("t#^block", ("t", "#^block", None)),
        ("#Heading", ("", "#Heading", None)),
        ("t\xa0x", ("t x", "", None)),  # U+00A0 becomes a space
        ("|x", ("|x", "", None)),  # the alias split is not at index 0
        ("img.png|100x200", ("img.png", "", "100x200")),  # rule 5: size, not alias
    ],
)
def test_split_wikilink(inner: str, expected: tuple[str, str, str | None]) -> None:
    assert split_wikilink(inner) == expected


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        ("a%20b.md", "a b.md"),
        ("caf%C3%A9.md", "café.md"),
        ("a%23b", "a%23b"),  # decodeURI keeps reserved characters encoded
        ("a%2Fb", "a%2Fb"),
        ("a%3Fb%26c", "a%3Fb%26c"),
        ("bad%E9.md", "bad%E9.md"),  # malformed escape: left as written
        ("100%", "100%"),
    ],
)
def test_decode_uri(raw: str, decoded: str) -> None:
    assert decode_uri(raw) == decoded


def _targets(text: str) -> list[tuple[str, str]]:
    return [(link.kind, link.target) for link in all_links(Note("n.md", text))]


def test_extracts_every_kind_of_link() -> None:
    text = (
        "---\nup: '[[Parent]]'\nrelated:\n  - '[[One]]'\n  - plain\n---\n"
        "A [[Wiki]] and ![[Pic.png|300]] and [md](Some%20Note.md) and [web](https://x.org).\n"
    )
    assert _targets(text) == [
        ("frontmatter", "Parent"),
        ("frontmatter", "One"),
        ("wikilink", "Wiki"),
        ("embed", "Pic.png"),
        ("markdown", "Some Note.md"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "`[[InCode]]`\n",
        "```\n[[InFence]]\n```\n",
        "    [[Indented]]\n",
        "$[[InMath]]$ and\n\n$$\n[[Display]]\n$$\n",
        "<!-- [[InHtmlComment]] -->\n",
        "<div>\n[[InHtmlBlock]]\n</div>\n",
        "%% [[InComment]] %%\n",
        "%%\n[[InMultiLineComment]]\n%%\n",
        "[[not\n a link]]\n",  # rule 2: one line only
        "[mail](mailto:a@b.c) [obs](obsidian://open?x) [web](http://x)\n",
    ],
)
def test_no_links_outside_prose(text: str) -> None:
    assert _targets(text) == []


def test_link_with_nested_open_brackets() -> None:
    # Rule 2: `[[a [[b]]` — the span holding `[[` is no link; the inner `[[b]]` is.
    assert _targets("x [[a [[b]] y\n") == [("wikilink", "b")]


def test_timestamp_alias_link() -> None:
    # Seen in real notes: `[[topic | [00:05:19]]]` links to `topic`.
    assert _targets("[[topic | [00:05:19]]]\n") == [("wikilink", "topic")]


def test_table_escaped_pipe_resolves(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            "Target.md": "x\n",
            "Table.md": "| a | b |\n|---|---|\n| [[Target\\|alias]] | [[Nope\\|x]] |\n",
        }
    )
    assert findings(vault, "--select", "LK001") == [("Table.md", 3, "LK001")]


def test_end_to_end_resolution(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            "Top.md": (
                "---\ntitle: Top\nup: '[[Missing Parent]]'\nsee: '[[sub/Leaf]]'\n---\n"
                "[[Leaf]] [[Leaf#Heading]] [[Leaf#^block]] [[#Local]] ![[pic.png]] ![[pic]]\n"
                "[ok](sub/Leaf.md) [space](My%20Note.md) [bad](Nowhere.md) [h](#top)\n"
                "[[.obsidian/workspace]] [[Secret]]\n"
            ),
            "sub/Leaf.md": "[[../Top]] [[./Sibling]] [[./Top]]\n",
            "sub/Sibling.md": "x\n",
            "My Note.md": "x\n",
            "pic.png": b"\x89PNG\r\n",
            ".obsidian/Secret.md": "hidden\n",
        }
    )
    assert sorted(findings(vault, "--select", "LK001")) == [
        ("Top.md", 3, "LK001"),  # front matter link to a missing note
        ("Top.md", 6, "LK001"),  # ![[pic]]: no extension means .md
        ("Top.md", 7, "LK001"),  # [bad](Nowhere.md)
        ("Top.md", 8, "LK001"),  # .obsidian is hidden
        ("Top.md", 8, "LK001"),  # a note inside .obsidian is no target
        ("sub/Leaf.md", 1, "LK001"),  # ./Top: not in sub/
    ]


def test_notes_in_hidden_folders_are_not_sources(make_vault: VaultFactory) -> None:
    vault = make_vault({".trash/Old.md": "[[Missing]]\n", "Ok.md": "fine\n"})
    assert findings(vault) == []


def test_user_ignore_filters_skip_sources(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            ".obsidian/app.json": '{"userIgnoreFilters": ["templates/"]}',
            "templates/T.md": "[[{{title}}]]\n",
            "Note.md": "[[T]]\n",
        }
    )
    # The template is not checked, but it is still a link target.
    assert findings(vault) == []


def test_user_ignore_filters_can_be_turned_off(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {".obsidian/app.json": '{"userIgnoreFilters": ["drafts/"]}', "drafts/D.md": "[[Nowhere]]\n"}
    )
    assert findings(vault) == []
    (vault / "vaultbot.toml").write_text(GENERATED + "respect-obsidian-ignore = false\n")
    assert findings(vault) == [("drafts/D.md", 1, "LK001")]


def test_notes_in_the_template_folder_are_not_checked(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            ".obsidian/templates.json": '{"folder": "Tpl"}',
            "Tpl/T.md": "[[Nowhere]]\n",
            "n.md": "[[T]]\n",
        }
    )
    assert findings(vault) == []  # and the template is still a link target


@pytest.mark.parametrize(
    "value",
    [
        '"[[Missing]]"',
        "'[[Missing]]'",
        r'"\x5B[Missing]]"',
        r'"\u005B\u005BMissing]]"',
        "[[Missing]]",
    ],
)
def test_a_front_matter_link_is_found_however_it_is_written(value: str) -> None:
    """A value reads `[[Missing]]` through quotes or escapes (which need a backslash), or as
    a flow list holding a list (which reads no `[[`)."""
    note = Note("n.md", f"---\nrelated: {value}\n---\nBody.\n")
    targets = [link.target for link in all_links(note) if link.kind == "frontmatter"]
    assert targets == ([] if value == "[[Missing]]" else ["Missing"])


def test_a_name_shared_by_many_files_resolves_to_the_shortest_path_below_the_notes_folder() -> None:
    """Obsidian's rule for a bare name several files share: the file with the shortest path
    below the linking note's folder, else the shortest path in the vault. A name shared by
    many files (a folder note in each of 1,000 folders) is looked up through an index of its
    folders; its answers are the rule's, spelled out here, for names shared by 1 to 100 files
    at every depth."""
    import posixpath
    import random

    rng = random.Random(1)
    folders = ["", "a", "a/b", "a/b/c", "d", "D/e", "x/y/z/w", "é/Ü"]  # no two alike folded
    files: set[str] = set()
    for _ in range(3000):
        folder = "/".join(
            [rng.choice(folders), *(rng.choice("pqr") for _ in range(rng.randint(0, 2)))]
        ).strip("/")
        name = rng.choice(["index", "readme", "note", "n1"]) + rng.choice([".md", ".png"])
        files.add(f"{folder}/{name}" if folder else name)
    vault = Vault(Path("vault"), sorted(files))

    def rule(target: str, source: str) -> str | None:
        wanted = (target if "." in target else target + ".md").lower()
        same = [f for f in vault.files if posixpath.basename(f).lower() == wanted]
        if not same:
            return None
        if len(same) > 1 and wanted in {f.lower() for f in same}:
            return next(f for f in same if f.lower() == wanted)  # the one at the top
        order = sorted(same, key=lambda f: (len(f), f.lower()))
        folder = posixpath.dirname(source).lower()
        below = [f for f in order if folder and f.lower().startswith(folder + "/")]
        return (below or order)[0]

    assert max(map(len, vault.by_name.values())) > 16  # the folder index is used
    for _ in range(5000):
        source = rng.choice(vault.files)
        target = rng.choice(["index", "INDEX", "readme", "note", "n1", "index.png"])
        assert vault.resolve(target, source) == rule(target, source), (target, source)


def _strings_recursively(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    return [s for value in values for s in _strings_recursively(value)]


FRONT_MATTER_VALUES = st.recursive(
    st.none() | st.integers() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=2), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(FRONT_MATTER_VALUES)
def test_front_matter_strings_come_in_the_order_written(data: object) -> None:
    assert links._strings(data) == _strings_recursively(data)
