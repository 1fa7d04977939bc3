"""FM001 frontmatter-invalid: the YAML error's own line and column, mapped to the note."""

from __future__ import annotations

import pytest
from conftest import VaultFactory, check_json


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("---\ntitle: a\ntitle: b\n---\nbody\n", 3, 1, "duplicate key"),
        ("---\ntitle: a\n\tvideoId: x\n---\nbody\n", 3, 1, "'\\t'"),
        ("---\ntitle: [unclosed\n---\nbody\n", 3, 1, "expected ',' or ']'"),
        ("---\ntitle: a: b\n---\nbody\n", 2, 9, "mapping values"),
        ("---\ntitle: a\nno closing line\n", 1, 1, "not closed"),
        ("---\ntitle: x\n...\nbody\n", 1, 1, "closed with '...', which Obsidian does not read"),
        ("\ufeff---\r\ntitle: a\r\ntitle: b\r\n---\r\nbody\r\n", 3, 1, "duplicate key"),
    ],
    ids=["duplicate", "tab", "flow", "mapping", "unclosed", "dots", "bom-crlf"],
)
def test_fires_at_yaml_position(
    make_vault: VaultFactory, text: str, line: int, column: int, words: str
) -> None:
    vault = make_vault({"n.md": text})
    code, doc = check_json(vault, "--select", "FM001")
    assert code == 1
    [finding] = doc["findings"]
    assert (finding["line"], finding["column"]) == (line, column)
    assert words in finding["message"]


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: a\nvideoId: abcdefghijk\n---\nbody\n",
        "---\ntags:\n  - a\n  - b\n---\n",  # only front matter
        "---\n---\nbody\n",  # empty block
        "no front matter\n---\nlater rule\n",
        "",  # empty note
        "---",  # a lone rule is not front matter
        "---\nA thought set off by a rule.\n\nMore prose: and a colon.\n",  # a rule, not properties
        "---\n\n- a list under a rule\n",
        # A date typed by hand that is not on the calendar is still valid YAML: js-yaml (and
        # so Obsidian) reads the block and keeps every property; it is no block-losing error.
        "---\ntitle: x\ncreated: 2023-02-29\n---\nbody\n",
        "---\ndate: 2024-13-01\nupdated: 2024-04-31T10:30:00\ntags: [a]\n---\n",
        "---\noperator: =\n---\n",  # YAML 1.1's value key to ruamel; text to js-yaml
        # Tabs that separate (after `key:` or `-`, before a comment) are valid YAML, read by
        # js-yaml and so Obsidian, as blog front matter imported into vaults writes them;
        # only tabs in indentation are errors (above).
        "---\ntags:\t[kotlin]\ncatalog: \ttrue \t\t\n---\nbody\n",
        "---\ntitle: x \t# a comment\ntags:\t\t# more\n  -\tone\n  - two\t# c\n---\n",
    ],
)
def test_does_not_fire(make_vault: VaultFactory, text: str) -> None:
    vault = make_vault({"n.md": text})
    assert check_json(vault, "--select", "FM001")[1]["findings"] == []


#: Template syntax makes front matter YAML only once the template is applied.
TEMPLATE_FM = "---\ndate: {{date}}\ntags: [<% tp.file.title %>\n---\n# {{title}}\n"


def test_template_syntax_in_a_template_folder_is_no_yaml_error(make_vault: VaultFactory) -> None:
    # No `.obsidian/templates.json` names the folders (a vault checked out without its
    # settings, or templates kept for another plugin): the folder's name tells, as it does
    # for link-malformed's placeholders.
    notes = ("Templates/Daily.md", "_templates/Daily.md", "Meta/Note Template/Daily.md")
    vault = make_vault({**dict.fromkeys(notes, TEMPLATE_FM), "Daily/today.md": TEMPLATE_FM})
    _, doc = check_json(vault, "--select", "FM001")
    assert [(f["path"], f["line"]) for f in doc["findings"]] == [("Daily/today.md", 4)]
    # A YAML error with no template syntax in the block is still one, in any folder.
    (vault / "Templates/Daily.md").write_text("---\ntitle: a\ntitle: b\n---\n")
    _, doc = check_json(vault, "--select", "FM001")
    assert [f["path"] for f in doc["findings"]] == ["Daily/today.md", "Templates/Daily.md"]


def test_template_syntax_in_a_persons_note_is_no_yaml_error(make_vault: VaultFactory) -> None:
    # A personal vault keeps templates where its plugins look for them (QuickAdd's anywhere).
    plain = {f"plain/p{i}.md": f"Note {i} about [[Later {i}]].\n" for i in range(20)}
    quickadd = "---\ncreated: {{DATE:YYYY-MM-DD}}\n---\n# {{VALUE:title}}\n"
    vault = make_vault({"Meta/QuickAdd/Daily.md": quickadd, **plain}, profile="auto")
    assert check_json(vault, "--select", "FM001")[1]["findings"] == []
    # In a generated vault it is a model's placeholder left in the block.
    config = vault.parent / "generated.toml"
    config.write_text('profile = "generated"\n')
    _, doc = check_json(vault, "--select", "FM001", "--config", str(config))
    assert [(f["path"], f["line"]) for f in doc["findings"]] == [("Meta/QuickAdd/Daily.md", 2)]
