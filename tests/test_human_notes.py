"""No false alarms on human-written notes (issue 9, §1), and the vault profile (DESIGN.md §9).

Each shape comes in both directions: the human form that must not fire, and the broken or
generated form that must.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import VaultFactory, check_json

from vaultbot.cli import main

GENERATED = "---\ntitle: {title}\nvideoId: abcdefghijk\n---\n\nFrom: [[channel | Channel]]\n\n"


#: Enough notes of a person's vault for the profile to be detected (vaultbot.profile).
PLAIN = {f"plain/p{i}.md": f"Note {i}, planning [[Not yet written {i}]].\n" for i in range(20)}


def codes(vault: Path, *args: str) -> list[tuple[str, int, str]]:
    _, document = check_json(vault, *args)
    return [(f["path"], f["line"], f["code"]) for f in document["findings"]]


# -- links --------------------------------------------------------------------------------------


def test_alias_holding_inline_code_is_a_link(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            "basic_linux_commands.md": "# Basics\n",
            "n.md": "Use [[basic_linux_commands|`ls` command]] to list.\n"
            "And [[missing_commands | the `rm` command]] to delete.\n"
            "Unclosed [[basic_linux_commands|`ls` and more.\n",
        }
    )
    found = codes(vault, "--select", "LK001,LK002", "--config", str(_generated(vault)))
    # The first is a link that resolves; the second a link to a missing note (LK001, not an
    # unclosed link); the third is unclosed.
    assert found == [("n.md", 2, "LK001"), ("n.md", 3, "LK002")]


def test_link_to_a_heading_holding_inline_code_is_a_link(make_vault: VaultFactory) -> None:
    # Obsidian's heading suggestion writes the heading as it is, code spans and all.
    vault = make_vault(
        {
            "Git.md": "# Git\n\n## Using `git rebase`\n\n## The `--force` flag\n",
            "n.md": "See [[Git#Using `git rebase`]] and [[Git#The `--force` flag|force]].\n"
            "- ![[Git#Using `git rebase`]]\n"
            "- [[Git#Using `git merge`]] is not a heading of Git.\n"
            "- [[Gti#Using `git rebase`]] is no note.\n"
            "- `[[Git#Using` and `git rebase`]] are code, and so is `[[Git#The` `--force`.\n"
            "- Unclosed [[Git#Using `git rebase` here.\n",
        }
    )
    found = codes(vault, "--select", "LK001,LK002,LK003", "--config", str(_generated(vault)))
    assert found == [("n.md", 3, "LK003"), ("n.md", 4, "LK001"), ("n.md", 6, "LK002")]


def test_link_to_a_heading_holding_inline_math_is_a_link(make_vault: VaultFactory) -> None:
    # A course vault's headings hold math, and Obsidian's heading suggestion writes it into
    # the link: `$…$` inside the brackets is the link's text, not math that swallows `]]`.
    vault = make_vault(
        {
            "Cosets.md": "## _definition:_ index, $\\lvert G : H \\rvert$\n\n"
            "## _proposition:_ index $2$ subgroups are normal\n",
            "n.md": "If $H \\le G$ has [[Cosets#_proposition _ index $2$ subgroups are normal|index 2]]"
            " then $H$ is normal; see [[Cosets#_definition _ index, $\\lvert G : H \\rvert$|the index]].\n"
            "- [[Cosets#index $3$ subgroups|three]] is not a heading of Cosets.\n"
            "- [[Costs#index $2$ subgroups|two]] is no note.\n"
            "- $[[Cosets]]$ is math, not a link.\n"
            "- Unclosed [[Cosets#index $2$ here.\n",
        }
    )
    found = codes(vault, "--select", "LK001,LK002,LK003", "--config", str(_generated(vault)))
    assert found == [("n.md", 2, "LK003"), ("n.md", 3, "LK001"), ("n.md", 5, "LK002")]


def test_a_name_with_other_numbers_is_no_separator_variant(make_vault: VaultFactory) -> None:
    # Folding case and separators away makes `Chapter 1.1` and `Chapter 11`, `Week 1-2` and
    # `Week 12` one name: a relink there would point a planned section at another chapter.
    vault = make_vault(
        {
            **PLAIN,
            "Chapter 11.md": "# Chapter 11\n",
            "Week 12.md": "# Week 12\n",
            "n.md": "Sections [[Chapter 1.1]] and [[Week 1-2|weeks one and two]] are plans;"
            " [[chapter_11]] is a slip.\n",
        },
        profile="auto",
    )
    _, document = check_json(vault, "--select", "LK001")
    assert [(f["path"], f["column"]) for f in document["findings"]] == [("n.md", 72)]
    _, document = check_json(vault, "--select", "LK001", "--config", str(_generated(vault)))
    fixes = {
        f["message"].split("'")[1]: f["fix"] for f in document["findings"] if f["path"] == "n.md"
    }
    assert fixes["Chapter 1.1"] is None and fixes["Week 1-2"] is None
    assert fixes["chapter_11"]["applicability"] == "safe"


def test_a_name_with_other_signs_is_no_separator_variant(make_vault: VaultFactory) -> None:
    # Folding punctuation away makes `P&L` (profit and loss) and `PL`, `A*` (the search) and
    # `A`, `S&P 500` and `SP 500` one name: a sign is part of what a name means, so a
    # person's plan for `P&L` is no slip for a note on programming languages. A word of signs
    # alone is a name too: `Haskell -` is the note on the minus operator, not `Haskell`.
    vault = make_vault(
        {
            **PLAIN,
            "PL.md": "# Programming languages\n",
            "A.md": "# A\n",
            "SP 500.md": "# SP 500\n",
            "Q&A.md": "# Questions\n",
            "Haskell.md": "# Haskell\n",
            "n.md": "Plans: [[P&L]], [[A*]], [[S&P 500]], [[Haskell -]] and [[QA]];"
            " [[q_&_a]] is a slip.\n",
        },
        profile="auto",
    )
    _, document = check_json(vault, "--select", "LK001")
    found = [(f["message"].split("'")[1], f["fix"]) for f in document["findings"]]
    assert [(target, fix["applicability"]) for target, fix in found] == [("q_&_a", "safe")]
    _, document = check_json(vault, "--select", "LK001", "--config", str(_generated(vault)))
    fixes = {f["message"].split("'")[1]: f["fix"] for f in document["findings"]}
    assert fixes["P&L"] is None and fixes["A*"] is None and fixes["S&P 500"] is None
    assert fixes["Haskell -"] is None
    assert fixes["QA"] is None and fixes["q_&_a"]["applicability"] == "safe"


def test_an_empty_link_in_a_persons_list_is_a_placeholder(make_vault: VaultFactory) -> None:
    # `- [[]]` in a person's list is a link left to fill; in a pipeline's note it is debris.
    vault = make_vault({**PLAIN, "n.md": "Read next:\n- [[]]\n- [[ ]]\n"}, profile="auto")
    _, document = check_json(vault, "--select", "LK002")
    assert [(f["line"], f["severity"]) for f in document["findings"]] == [
        (2, "warning"),
        (3, "warning"),
    ]
    assert "placeholder to fill" in document["findings"][0]["message"]
    _, document = check_json(vault, "--select", "LK002", "--config", str(_generated(vault)))
    assert [(f["line"], f["severity"]) for f in document["findings"]] == [
        (2, "error"),
        (3, "error"),
    ]


def test_markdown_link_whose_text_starts_with_a_bracket(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            "n.md": "See [[BUG: External] meta-bind fails](https://example.org/issues/1) here.\n"
            "But [[BUG: External meta-bind fails and nothing closes.\n"
        }
    )
    assert codes(vault, "--select", "LK002") == [("n.md", 2, "LK002")]


def test_table_escaped_pipe_before_a_block_id(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            "n.md": "| a | b |\n| - | - |\n| [[#^69fd60\\|label]] | [[#^nothere\\|x]] |\n\n"
            "A paragraph with an id. ^69fd60\n"
        }
    )
    _, document = check_json(vault, "--select", "LK003")
    messages = [f["message"] for f in document["findings"]]
    assert messages == ["Block '^nothere' not found in 'n.md'"]


def test_templates_are_not_notes(make_vault: VaultFactory) -> None:
    template = (
        "---\ncreated: <% tp.file.creation_date() %>\ntags: [<% tp.file.title %>\n---\n"
        "[[{{title}}]] [[<% tp.date.yesterday('YYYY-MM-DD') %>]] [[Missing]]\n"
    )
    vault = make_vault(
        {
            ".obsidian/templates.json": '{"folder": "Templates"}',
            ".obsidian/plugins/templater-obsidian/data.json": '{"templates_folder": "Meta/Tpl"}',
            "Templates/Daily.md": template,
            "Meta/Tpl/Weekly.md": template,
            "Notes/Templates.md": template,  # a note named so, outside the template folders
            "Notes/n.md": "Yesterday: [[<% tp.date.yesterday('YYYY-MM-DD') %>]] [[{{date}}]].\n",
        }
    )
    found = codes(vault, "--select", "FM001,LK001", "--config", str(_generated(vault)))
    assert sorted({(p, c) for p, _, c in found}) == [
        ("Notes/Templates.md", "FM001"),
        ("Notes/Templates.md", "LK001"),
    ]
    # Template syntax is never a link target (LK001); outside templates it is debris (LK002).
    assert ("Notes/Templates.md", 5, "LK001") in found and len(found) == 2
    assert {c for p, _, c in codes(vault, "--select", "LK002") if p == "Notes/n.md"} == {"LK002"}


def test_template_syntax_with_brackets_is_no_malformed_link(make_vault: VaultFactory) -> None:
    # Templater's suggester takes arrays: `[[<% tp.system.suggester(["A"], ["A"]) %>]]` picks
    # the note to link when the template is applied. Its brackets are the code's, in a
    # template folder or a person's note; in a pipeline's note it is still debris.
    suggester = 'Parent: [[<% tp.system.suggester(["Grammar"], ["English_Grammar"]) %>]]\n'
    front = 'owner: "[[<% tp.system.suggester([\\"Ann\\", \\"Bo\\"], [\\"Ann\\", \\"Bo\\"]) %>]]"'
    vault = make_vault(
        {
            **PLAIN,
            "Templates/Word.md": suggester,
            "Meta/Person.md": f"---\n{front}\n---\n{suggester}",
            "n.md": "A real slip: [[Grammar] notes]] stays.\n",
        },
        profile="auto",
    )
    found = codes(vault, "--select", "LK002")
    assert found == [("n.md", 1, "LK002")]
    found = codes(vault, "--select", "LK002", "--config", str(_generated(vault)))
    assert ("Meta/Person.md", 4, "LK002") in found and (
        "Templates/Word.md",
        1,
        "LK002",
    ) not in found


def _generated(vault: Path) -> Path:
    """A config file (outside the vault) that sets the generated profile."""
    config = vault.parent / "generated.toml"
    config.write_text('profile = "generated"\n')
    return config


# -- the profile ----------------------------------------------------------------------------------


def test_profile_detected_and_named(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    few = make_vault({"a.md": "A plan: [[Not yet written]].\n", "b.md": "Text.\n"}, profile="auto")
    assert main(["check", "--no-cache", str(few)]) == 0  # a person's, however few the notes
    out = capsys.readouterr().out
    assert "Profile: personal vault (detected: 0 of 2 sampled notes bear generator signals)." in out
    for rel, text in PLAIN.items():
        (few / rel).parent.mkdir(exist_ok=True)
        (few / rel).write_text(text)
    assert main(["check", "--no-cache", str(few)]) == 0
    assert "Profile: personal vault (detected: 0 of 22 sampled notes" in capsys.readouterr().out


#: A person's new vault: five notes, no generator signals, links to notes not yet written.
SMALL_PERSONAL = {
    "Inbox.md": "# Inbox\n\n- read [[How to Take Smart Notes]]\n- call [[Grandma]]\n",
    "Projects/Garden.md": "# Garden\n\nPlant [[Tomatoes]] after [[Last Frost 2025]].\n",
    "Projects/Move.md": "---\ntags: [home]\n---\n# Move\n\nSee [[Garden]] and [[Boxes]].\n",
    "Daily/2025-03-01.md": "Walked. Idea for [[Essay on Walking]].\n",
    "Reading.md": "# Reading\n\n> Clutter is the disease.\n\nFrom [[On Writing Well]].\n",
}


def test_a_small_vault_of_a_persons_notes_is_personal(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # Fewer notes than a large vault's sample, none bearing a generator's signals: the links
    # to notes not yet written are plans, not a wall of LK001 errors.
    vault = make_vault(SMALL_PERSONAL, profile="auto")
    assert main(["check", "--no-cache", str(vault)]) == 0
    out = capsys.readouterr().out
    assert "LK001" not in out
    assert out.endswith(
        "\nProfile: personal vault (detected: 0 of 5 sampled notes bear generator signals).\n"
    )
    code, document = check_json(vault)
    assert (code, document["findings"], document["summary"]["profile"]) == (0, [], "personal")
    # A slip is still one: a case variant of a note that exists.
    (vault / "Inbox.md").write_text("# Inbox\n\nSee [[garden]] and [[move]] later.\n")
    (vault / "Projects/Move.md").unlink()
    assert codes(vault) == []  # [[garden]] resolves (case), [[move]] is a plan again
    (vault / "Inbox.md").write_text("# Inbox\n\nSee [[Gardens]].\n")
    _, document = check_json(vault)
    assert [(f["code"], f["severity"]) for f in document["findings"]] == [("LK001", "warning")]


#: A pipeline's small vault: an index without anchors, and two notes that bear them.
ANCHORED = 'Text <a class="yt-timestamp" data-t="00:01:00">[00:01:00]</a>.\n'
SMALL_GENERATED = {
    "index.md": "---\ntitle: Index\n---\n\n- [[lighthouses]]\n- [[bridges]]\n- [[seed_vaults]]\n",
    "lighthouses.md": "---\ntitle: Lighthouses\n---\n\n" + ANCHORED + "See [[bridges]].\n",
    "bridges.md": "---\ntitle: Bridges\n---\n\n" + ANCHORED + "See [[deep_time_markers]].\n",
}


def test_a_small_generated_vault_reports_every_missing_link(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault(SMALL_GENERATED, profile="auto")
    assert main(["check", "--no-cache", str(vault)]) == 1
    out = capsys.readouterr().out
    assert out.endswith(
        "\nProfile: generated vault (detected: 2 of 3 sampled notes bear generator signals).\n"
    )
    _, document = check_json(vault)
    found = [(f["path"], f["line"], f["code"], f["severity"]) for f in document["findings"]]
    # The index bears no signals of its own: its missing link is an error as the vault's.
    assert found == [("bridges.md", 6, "LK001", "error"), ("index.md", 7, "LK001", "error")]


def test_a_pipelines_first_note_beside_its_index_and_channel_page(
    make_vault: VaultFactory,
) -> None:
    # One note of three bears signals: less than the share, so the vault is personal; the
    # note itself still is the pipeline's, and its missing links are errors.
    files = {
        "index.md": SMALL_GENERATED["index.md"].replace("- [[seed_vaults]]\n", ""),
        "channel.md": "---\ntitle: Channel\n---\n\n- [[bridges]]\n",
        "bridges.md": SMALL_GENERATED["bridges.md"],
    }
    vault = make_vault(files, profile="auto")
    _, document = check_json(vault)
    found = [(f["path"], f["code"], f["severity"]) for f in document["findings"]]
    assert document["summary"]["profile"] == "personal"
    assert found == [("bridges.md", "LK001", "error")]


def test_a_vault_without_notes_is_personal(make_vault: VaultFactory) -> None:
    vault = make_vault({}, profile="auto")
    code, document = check_json(vault)
    assert (code, document["summary"]["profile"]) == (0, "personal")


def test_profile_configured(make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]) -> None:
    vault = make_vault(
        {"a.md": "A plan: [[Not yet written]].\n", "vaultbot.toml": ""}, profile="auto"
    )
    (vault / "vaultbot.toml").write_text('profile = "generated"\n')
    assert main(["check", "--no-cache", str(vault)]) == 1
    out = capsys.readouterr().out
    assert "LK001" in out and "Profile: generated vault (configured)." in out
    (vault / "vaultbot.toml").write_text('profile = "human"\n')
    assert main(["check", "--no-cache", str(vault)]) == 2
    assert "'profile' must be one of" in capsys.readouterr().err


def test_json_summary_names_the_profile(make_vault: VaultFactory) -> None:
    vault = make_vault({"a.md": GENERATED.format(title="A") + "Text.\n"}, profile="auto")
    _, document = check_json(vault)
    assert document["summary"]["profile"] == "generated"
    assert json.dumps(document)


# -- ED001 on human prose -------------------------------------------------------------------------

HUMAN = (
    "---\ntitle: Setting up a home server\n---\n\n"
    "I've included instructions below for the three machines I tried.\n\n"
    "Install the base system, then the services.\n\n"
    "Thanks for reading! I hope this helps.\n"
)


def _ed001(vault: Path) -> list[tuple[str, int, str, str | None]]:
    _, document = check_json(vault, "--select", "ED001")
    return [
        (f["path"], f["line"], f["severity"], f["fix"] and f["fix"]["applicability"])
        for f in document["findings"]
    ]


def test_ed001_spares_human_prose(make_vault: VaultFactory) -> None:
    vault = make_vault({"guide.md": HUMAN, **PLAIN}, profile="auto")
    assert _ed001(vault) == []
    assert main(["fix", "--unsafe-fixes", str(vault)]) == 0
    assert (vault / "guide.md").read_text() == HUMAN


def test_ed001_in_a_note_without_signals_is_a_warning_with_an_unsafe_fix(
    make_vault: VaultFactory,
) -> None:
    # The line is about the edit: the model's, even in a note without signals; but only the
    # user may delete it.
    note = HUMAN.replace("Install", "I have added links to the relevant topics.\n\nInstall")
    generated = GENERATED.format(title="G") + "Text.\n\nI hope this helps!\n"
    vault = make_vault({"guide.md": note, "g.md": generated, **PLAIN}, profile="auto")
    assert _ed001(vault) == [("g.md", 10, "error", "safe"), ("guide.md", 7, "warning", "unsafe")]
    assert main(["fix", str(vault)]) in (0, 1)
    assert (vault / "guide.md").read_text() == note
    assert "I hope this helps" not in (vault / "g.md").read_text()


def test_ed001_in_a_generated_vault_still_spares_safe_fixes_of_unsigned_notes(
    make_vault: VaultFactory,
) -> None:
    notes = {f"g{i}.md": GENERATED.format(title=i) + "Text.\n" for i in range(30)}
    vault = make_vault({**notes, "guide.md": HUMAN}, profile="auto")
    found = [f for f in _ed001(vault) if f[0] == "guide.md"]
    assert found and all(s == "warning" and a == "unsafe" for _, _, s, a in found)
    assert main(["fix", str(vault)]) in (0, 1)
    assert (vault / "guide.md").read_text() == HUMAN


#: A person's journal: lines that read like an edit report, a leaked plan or a link list's
#: header, but are about the person's own day and notes. None is the model's.
JOURNAL = (
    "# 2024-05-01\n\n"
    "Here's my plan:\n- run\n- write\n\n"
    "Here is the plan:\n1. call the bank\n2. pay rent\n\n"
    "Note: I have a meeting at 3.\n"
    "Note: I've moved the budget to [[Finance]].\n"
    "Note: I added the receipts to the folder.\n\n"
    "I've added links to the receipts in [[Finance]].\n"
    "I have included the links to all my book notes below.\n"
    "I've updated the summary of [[Deep Work]] after rereading it.\n"
    "I changed the headings in my book notes to match the new template.\n"
    "I removed the links to old projects.\n"
    "I linked the article in [[Reading List]].\n"
    "Each link below points to a chapter note.\n\n"
    "Add links to these books:\n[[Deep Work]]\n[[Reading List]]\n\n"
    "Here is the updated version of my packing list:\n- tent\n\n"
    "I will make sure the markdown export works tomorrow.\n\n"
    "I added backlinks to all my book notes today.\n"
    "I've added internal links to my MOC so the graph view looks nicer.\n"
)


def test_editorial_rules_spare_a_persons_journal(make_vault: VaultFactory) -> None:
    vault = make_vault({"journal.md": JOURNAL, **PLAIN}, profile="auto")
    assert codes(vault, "--select", "ED001,ED003") == []
    assert main(["fix", "--unsafe-fixes", str(vault)]) == 0
    assert (vault / "journal.md").read_text() == JOURNAL


def test_model_text_pasted_into_a_persons_note_still_warns(make_vault: VaultFactory) -> None:
    # What only a model writes about its edit still shows in a person's note: backlinks,
    # the modified article, the topics it was given, its reasoning.
    note = (
        "# Sleep\n\nHere is the modified article:\n\nSleep matters.\n\n"
        "I've inserted backlinks to the topics you listed.\n\n"
        "Mental Sandbox:\nI will add links to the provided topics and check the transcript.\n"
    )
    vault = make_vault({"sleep.md": note, **PLAIN}, profile="auto")
    _, document = check_json(vault, "--select", "ED001,ED003")
    found = [(f["line"], f["code"], f["severity"]) for f in document["findings"]]
    assert found == [
        (3, "ED001", "warning"),
        (7, "ED001", "warning"),
        (9, "ED001", "warning"),
        (10, "ED003", "error"),
    ]


#: A person's mail and quote notes open with `From: [[…]]`, as a pipeline's notes do.
MAIL = (
    "From: [[Alice Smith]]\nTo: [[Me]]\nDate: 2024-03-02\n\n"
    "Hi! Here is the itinerary for the trip:\n- Fly out Friday\n- Back Monday\n\n"
    "I hope this helps with the planning. Let me know if you have any questions.\n"
)
QUOTE = (
    "From: [[On Writing Well]]\n\n> Clutter is the disease.\n\nI hope this helps me cut words.\n"
)


def test_a_from_header_alone_is_no_generator_signal_in_a_personal_vault(
    make_vault: VaultFactory,
) -> None:
    vault = make_vault({"Mail/trip.md": MAIL, "Quotes/clutter.md": QUOTE, **PLAIN}, profile="auto")
    assert codes(vault) == []
    assert main(["fix", "--unsafe-fixes", str(vault)]) == 0
    assert (vault / "Mail/trip.md").read_text() == MAIL
    assert (vault / "Quotes/clutter.md").read_text() == QUOTE
    # With a generator's key as well, the note is the pipeline's: the line goes, safely.
    generated = MAIL.replace("From:", "---\nvideoId: abcdefghijk\n---\nFrom:", 1)
    (vault / "Mail/trip.md").write_text(generated)
    assert ("Mail/trip.md", 12, "ED001") in codes(vault, "--select", "ED001")
    assert main(["fix", str(vault)]) == 1
    assert "I hope this helps" not in (vault / "Mail/trip.md").read_text()
