"""ED002 editorial-fence, ED003 prompt-leak, MD001 heading-stray-h1, MD002 callout-broken:
what the fixture format cannot say. Whole notes before and after `vaultbot fix` (LF and CRLF),
a second fix changing nothing, and how ED001 and ED003 share a leak between them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import VaultFactory, check_json, findings
from corpus_helpers import corpus_vault

from vaultbot.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
FM = "---\ntitle: Spaced repetition\nvideoId: dmeRQN9z504\n---\n\n"
FROM = "From: [[dwarkesh | The Dwarkesh Podcast]]\n\n"
ANCHOR = '<a class="yt-timestamp" data-t="{0}">[{0}]</a>'
TOPICS = [
    "Llama 3 and AI advancements at Meta",
    "Theories of Intelligence and Cognition",
    "Role of memory in learning and understanding",
]


def topic(name: str) -> str:
    slug = name.lower().replace(" ", "_")
    return f"{name} – [[{slug} | {name}]]\n"


TOPIC_LIST = "".join(topic(t) for t in TOPICS)
BODY = "Memory is underappreciated " + ANCHOR.format("00:00:39") + ".\n"
MORE = "\nReviews come just before forgetting " + ANCHOR.format("00:32:29") + ".\n"


def fix(vault: Path, *args: str) -> int:
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        return main(["fix", *args])


Transform = Callable[[str], str]
ENDINGS: list[tuple[str, Transform]] = [
    ("lf", lambda t: t),
    ("crlf", lambda t: t.replace("\n", "\r\n")),
]

# (id, before, after, extra arguments); `after` is what one `vaultbot fix` writes.
CASES: list[tuple[str, str, str, tuple[str, ...]]] = [
    # -- ED002: the two fence lines go, and a blank line beside each when one is doubled
    (
        "ED002",
        FM + FROM + "```markdown\n## Memory\n\n" + BODY + "```\n",
        FM + FROM + "## Memory\n\n" + BODY,
        (),
    ),
    (
        "ED002-blank-lines-inside",
        FM + "```md\n\n## Memory\n\n" + BODY + "\n```\n\n",
        FM + "## Memory\n\n" + BODY + "\n",
        (),
    ),
    ("ED002-tildes-no-final-newline", FM + "~~~markdown\n" + BODY + "~~~", FM + BODY[:-1], ()),
    (
        "ED002-with-ED001-preamble-inside",
        FM + FROM + "```markdown\nHere is the modified article:\n\n" + BODY + "```\n",
        FM + FROM + BODY,
        (),
    ),
    # -- MD002 in a list item: `> ` before the marker and each body line of the item
    (
        "MD002-list-item",
        FM + "- [!NOTE] Sleep pressure\n  Adenosine builds up.\n  Sleep clears it.\n- Next.\n",
        FM
        + "- > [!NOTE] Sleep pressure\n  > Adenosine builds up.\n  > Sleep clears it.\n- Next.\n",
        (),
    ),
    # -- ED001 before a glued heading: the heading stays, on its own line
    (
        "ED001-glued-heading",
        FM + FROM + BODY + "\nI will ensure to use Obsidian markdown and keep the timestamps."
        "## Memory\n" + MORE,
        FM + FROM + BODY + "\n## Memory\n" + MORE,
        (),
    ),
    (
        "ED001-glued-h1-no-fix",  # the H1 would become a second title: a human call
        FM + FROM + BODY + "\nI will ensure to use Obsidian markdown.# Memory\n" + MORE,
        FM + FROM + BODY + "\nI will ensure to use Obsidian markdown.# Memory\n" + MORE,
        (),
    ),
    # -- ED002 below an ED001 line: both go
    (
        "ED002-below-an-editorial-line",
        FM + FROM + "Here is the article:\n\n```markdown\n## Memory\n\n" + BODY + "```\n",
        FM + FROM + "## Memory\n\n" + BODY,
        (),
    ),
    # -- ED001 + ED003: the header and its block go, no double blank line, in one run
    (
        "ED002-right-below-the-from-line",
        "From: [[dwarkesh]]\n```markdown\nMemory matters.\n```\n",
        "From: [[dwarkesh]]\n\nMemory matters.\n",
        (),
    ),
    (
        "ED002-front-matter-inside",  # no fix: the inner `---` would become front matter
        "```markdown\n---\ntitle: Memory\n---\n\nMemory matters.\n```\n",
        "```markdown\n---\ntitle: Memory\n---\n\nMemory matters.\n```\n",
        (),
    ),
    (
        "ED002-with-ED001-postamble-inside",
        FM + "```markdown\n" + BODY + "\nLet me know if you want more changes!\n```\n",
        FM + BODY,
        (),
    ),
    # -- ED002 between a chat answer's preamble and postamble: all three go
    (
        "ED002-between-preamble-and-postamble",
        FM + "Here's your Obsidian note:\n\n```markdown\n## Memory\n\n" + BODY + "```\n\n"
        "Let me know if you want me to add more links!\n",
        FM + "## Memory\n\n" + BODY,
        (),
    ),
    (
        "ED003-topics-at-the-end",
        FM + FROM + BODY + "\nAdd backlinks using these topics:\n" + TOPIC_LIST,
        FM + FROM + BODY,
        ("--unsafe-fixes",),
    ),
    (
        "ED003-topics-no-final-newline",
        FM + BODY + "\nAdd backlinks using these topics:\n" + TOPIC_LIST[:-1],
        FM + BODY[:-1],
        ("--unsafe-fixes",),
    ),
    (
        "ED003-topics-in-the-middle",
        FM + BODY + "\n**Add backlinks using these topics:**\n" + TOPIC_LIST + MORE,
        FM + BODY + MORE,
        ("--unsafe-fixes",),
    ),
    (
        "ED003-topics-spaced",
        FM
        + BODY
        + "\nAdd backlinks using these topics:\n\n"
        + "\n".join(TOPIC_LIST.splitlines(True)),
        FM + BODY,
        ("--unsafe-fixes",),
    ),
    (
        "ED003-topics-header-glued-to-the-text-above",
        FM + BODY + "Add backlinks using these topics:\n" + TOPIC_LIST + MORE,
        FM + BODY + MORE,
        ("--unsafe-fixes",),
    ),
    (
        "ED003-checklist-and-sandbox",
        FM
        + FROM
        + "Constraint Checklist & Confidence Score:\n1. Insert backlinks: Yes\n"
        + "2. Keep the text unchanged: Yes\n\nConfidence Score: 5/5\n\n"
        + "Mental Sandbox:\n- The article is about memory.\n- I will link the memory topic.\n\n"
        + "Strategizing complete. I will now produce the article.\n\n"
        + BODY,
        FM + FROM + BODY,
        ("--unsafe-fixes",),
    ),
    # -- ED003: a reasoning model's thinking block, between its tags (safe) or below the
    # top of the body when the opening tag was cut (unsafe)
    (
        "ED003-think-block",
        FM + "<think>\nThe user wants a note.\n\nI will link memory.\n</think>\n\n" + BODY,
        FM + BODY,
        (),
    ),
    (
        "ED003-think-answer-on-the-closing-line",
        FM + FROM + "<think>\nI will link memory.\n</think>Memory matters.\n" + MORE,
        FM + FROM + "Memory matters.\n" + MORE,
        (),
    ),
    (
        "ED003-think-anchor-on-the-closing-line-no-fix",  # it would become an anchor
        FM + FROM + "<think>\nI will link memory.\n</think>" + BODY + MORE,
        FM + FROM + "<think>\nI will link memory.\n</think>" + BODY + MORE,
        (),
    ),
    (
        "ED003-think-opening-cut",
        FM + FROM + "I will link memory.\n</think>\n\n" + BODY,
        FM + FROM + BODY,
        ("--unsafe-fixes",),
    ),
    (
        "ED003-account-of-the-changes",
        FM + BODY + "\n**Key Improvements and Explanations:**\n\n* **Added links:** to memory.\n"
        "* **Structure:** headings.\n  In video order.\n" + MORE,
        FM + BODY + MORE,
        ("--unsafe-fixes",),
    ),
    (
        "ED003-orphaned-topics",
        FM + BODY + "\n" + TOPIC_LIST + MORE,
        FM + BODY + MORE,
        ("--unsafe-fixes",),
    ),
    # -- MD001: demote the H1 with its section; delete an H1 that repeats the title
    (
        "MD001",
        FM + BODY + "\n# Reviews\n\n## Timing\n\n###### Deep\n\n# Costs\n",
        FM + BODY + "\n## Reviews\n\n### Timing\n\n###### Deep\n\n## Costs\n",
        ("--unsafe-fixes",),
    ),
    (
        "MD001-setext",
        FM + BODY + "\nReviews\n=======\n\n## Timing\n",
        FM + BODY + "\nReviews\n-------\n\n### Timing\n",
        ("--unsafe-fixes",),
    ),
    (
        "MD001-repeats-the-title",
        FM + FROM + "# Spaced repetition\n\n## Memory\n\n" + BODY,
        FM + FROM + "## Memory\n\n" + BODY,
        ("--unsafe-fixes",),
    ),
    (
        "MD001-repeats-the-title-in-a-fence",
        FM + FROM + "```markdown\n# Spaced Repetition\n\n" + BODY + "```\n",
        FM + FROM + BODY,
        ("--unsafe-fixes",),
    ),
    ("MD001-unsafe-only", FM + "# Reviews\n", FM + "# Reviews\n", ()),
    # -- MD002: `> ` before the marker; a blank line first when the line above is quoted
    ("MD002", FM + "[!INFO] Key point\n> Body.\n", FM + "> [!INFO] Key point\n> Body.\n", ()),
    ("MD002-indented", FM + "  [!tip]- Folded\n", FM + "  > [!tip]- Folded\n", ()),
    (
        "MD002-after-a-quote",
        FM + "> [!NOTE] One\n> Body.\n[!WARNING] Two\n> Body two.\n",
        FM + "> [!NOTE] One\n> Body.\n\n> [!WARNING] Two\n> Body two.\n",
        (),
    ),
    (
        "MD002-two-in-a-row",
        FM + "[!NOTE] One\n[!NOTE] Two\n",
        FM + "> [!NOTE] One\n\n> [!NOTE] Two\n",
        (),
    ),
]


@pytest.mark.parametrize(("ending", "transform"), ENDINGS, ids=[e for e, _ in ENDINGS])
@pytest.mark.parametrize(
    ("before", "after", "args"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_fix(
    make_vault: VaultFactory,
    before: str,
    after: str,
    args: tuple[str, ...],
    ending: str,
    transform: Transform,
) -> None:
    vault = make_vault({"note.md": transform(before)})
    select = ("--select", "ED001,ED002,ED003,MD001,MD002")
    fix(vault, *select, *args, "note.md")
    assert (vault / "note.md").read_bytes() == transform(after).encode("utf-8")
    fix(vault, *select, *args, "note.md")  # a second fix changes nothing
    assert (vault / "note.md").read_bytes() == transform(after).encode("utf-8")


def _fixes(vault: Path, *args: str) -> list[tuple[int, str, str | None]]:
    _, report = check_json(vault, *args)
    return [
        (f["line"], f["code"], f["fix"] and f["fix"]["applicability"]) for f in report["findings"]
    ]


def test_safe_fix_first_leaves_the_topic_list_findable(make_vault: VaultFactory) -> None:
    """`vaultbot fix` (the pre-commit hook) deletes the header alone; ED003 still finds the
    list, and the unsafe fix later gives what one unsafe run gives."""
    text = FM + BODY + "\nAdd backlinks using these topics:\n" + TOPIC_LIST + MORE
    vault = make_vault({"note.md": text})
    assert _fixes(vault, "--select", "ED001,ED003") == [
        (8, "ED001", "safe"),
        (9, "ED003", "unsafe"),
    ]
    fix(vault, "--select", "ED001,ED003")
    assert (vault / "note.md").read_text() == FM + BODY + "\n" + TOPIC_LIST + MORE
    assert _fixes(vault, "--select", "ED001,ED003") == [(8, "ED003", "unsafe")]
    fix(vault, "--select", "ED001,ED003", "--unsafe-fixes")
    assert (vault / "note.md").read_text() == FM + BODY + MORE


@pytest.mark.parametrize(
    "leak",
    [
        "Mental Sandbox:\n- The article is about memory.\n- I will link the memory topic.\n",
        "Constraint Checklist & Confidence Score:\n1. Insert backlinks: Yes\n",
        "There is no information in the provided transcript about his childhood.\n"
        "I will leave that section out and not add backlinks to it.\n",
    ],
)
def test_no_safe_fix_that_hides_reasoning(make_vault: VaultFactory, leak: str) -> None:
    """Deleting the header alone would leave the reasoning looking like content, with nothing
    to find it by: ED001 offers no fix there, and ED003 deletes the header with its block."""
    vault = make_vault({"note.md": FM + BODY + "\n" + leak + MORE})
    assert _fixes(vault, "--select", "ED001,ED003") == [(8, "ED001", None), (9, "ED003", "unsafe")]
    assert fix(vault) == 1  # findings remain; nothing safe to do
    assert (vault / "note.md").read_text() == FM + BODY + "\n" + leak + MORE
    fix(vault, "--select", "ED003", "--unsafe-fixes")
    assert (vault / "note.md").read_text() == FM + BODY + MORE


def test_self_contained_leaks_are_ed001s_alone() -> None:
    """No line is reported twice: ED003 finds nothing in the ED001 fixtures."""
    names = sorted(p.name for p in FIXTURES.glob("ED001*.md"))
    assert names and findings(FIXTURES, "--select", "ED003", *names) == []


def test_finding_spans_the_block(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {"note.md": FM + BODY + "\nAdd backlinks using these topics:\n" + TOPIC_LIST}
    )
    _, report = check_json(vault, "--select", "ED003")
    [finding] = report["findings"]
    assert (finding["line"], finding["end_line"]) == (9, 11)
    assert finding["message"] == "Leaked topic list (3 lines) below the leaked line 8"


def test_fence_finding_spans_the_note(make_vault: VaultFactory) -> None:
    vault = make_vault({"note.md": FM + "```markdown\n" + BODY + "\n[[missing]]\n```\n"})
    _, report = check_json(vault)
    found = {(f["code"], f["line"], f["end_line"]) for f in report["findings"]}
    # Inside the fence is linted as Markdown: the missing link is reported.
    assert found == {("ED002", 6, 10), ("LK001", 9, 9)}


@pytest.mark.parametrize(
    "name",
    [
        "government_and_policy_coordination_on_ai_risks.md",
        "the_great_leap_forward_and_the_cultural_revolution.md",
        "the_value_of_spaced_repetition_and_memory_systems.md",
    ],
)
def test_real_topic_lists(make_vault: VaultFactory, name: str) -> None:
    """The three leaked topic lists of the tubegraph corpus: ED001 and ED003 together delete
    the header, the list and the blank line above, and nothing else."""
    original = (corpus_vault("tubegraph-dwarkesh") / name).read_text(encoding="utf-8")
    lines = original.split("\n")
    header = next(i for i, line in enumerate(lines) if "Add backlinks using these topics" in line)
    assert not lines[header - 1].strip()
    expected = "\n".join(lines[: header - 1]) + ("\n" if original.endswith("\n") else "")
    expected = expected.replace("Here is the modified article:\n\n", "", 1)  # ED001's too
    vault = make_vault({name: original})
    _, report = check_json(vault, "--select", "ED003")
    [finding] = report["findings"]
    last = max(n for n, line in enumerate(lines, 1) if line.strip())
    assert (finding["line"], finding["end_line"]) == (header + 2, last)
    fix(vault, "--select", "ED001,ED003", "--unsafe-fixes")
    assert (vault / name).read_text(encoding="utf-8") == expected
    assert findings(vault, "--select", "ED001,ED003") == []


DECLINE = (
    "There is no information in the provided transcript about swag. "
    "The transcript consists solely of music.\n"
)


def test_declined_note_is_one_finding_with_an_unsafe_fix(make_vault: VaultFactory) -> None:
    """ED004 reports the note once (ED001 steps aside), and only `--unsafe-fixes` empties
    it: the front matter and the header line stay."""
    vault = make_vault({"note.md": FM + FROM + DECLINE})
    assert _fixes(vault, "--select", "ED") == [(8, "ED004", "unsafe")]
    fix(vault, "--select", "ED")
    assert (vault / "note.md").read_text() == FM + FROM + DECLINE
    fix(vault, "--select", "ED004", "--unsafe-fixes")
    assert (vault / "note.md").read_text() == FM + FROM.rstrip("\n") + "\n"


#: A person's snippet note: the Markdown kept as source, to copy from.
SNIPPET = (
    "---\ntags: [snippet]\n---\n```markdown\n# {{title}}\n\n[!NOTE] Summary\n"
    "See [[{{related}}]] and [[Some Example Note]].\n```\n"
)


def test_a_persons_markdown_snippet_is_a_code_block(make_vault: VaultFactory) -> None:
    # In a personal vault, a note without generator signals that is one ```markdown block
    # is a snippet kept as source: not unwrapped (ED002), nothing inside it linted as text.
    plain = {f"plain/p{i}.md": f"Note {i} about [[Later {i}]].\n" for i in range(20)}
    vault = make_vault({"Snippets/Meeting.md": SNIPPET, **plain}, profile="auto")
    assert findings(vault) == []
    assert fix(vault, "--unsafe-fixes") == 0
    assert (vault / "Snippets/Meeting.md").read_text() == SNIPPET
    # The same note with a generator's key is a model's answer saved verbatim.
    wrapped = SNIPPET.replace("tags: [snippet]", "videoId: dmeRQN9z504")
    (vault / "Snippets/Meeting.md").write_text(wrapped)
    assert {c for _, _, c in findings(vault)} == {"ED002", "MD002", "LK002", "LK001"}


def test_a_heading_inside_a_persons_snippet_is_no_heading(make_vault: VaultFactory) -> None:
    # Obsidian finds no heading in a code block: a link into the snippet is missing it.
    plain = {f"plain/p{i}.md": f"Note {i} about [[Later {i}]].\n" for i in range(20)}
    snippet = "```markdown\n# Agenda\n\n- item\n```\n"
    vault = make_vault(
        {"Snippet.md": snippet, "n.md": "See [[Snippet#Agenda]].\n", **plain}, profile="auto"
    )
    assert findings(vault, "--select", "LK003") == [("n.md", 1, "LK003")]


def test_the_model_speaking_as_itself_has_an_unsafe_fix(make_vault: VaultFactory) -> None:
    """ "As an AI language model, …" is the model's, but the line may go on with content:
    only `--unsafe-fixes` deletes it."""
    line = "As an AI language model, I have no opinion, but memory is underappreciated.\n"
    vault = make_vault({"note.md": FM + BODY + "\n" + line + MORE})
    assert _fixes(vault, "--select", "ED") == [(8, "ED001", "unsafe")]
    fix(vault, "--select", "ED")
    assert (vault / "note.md").read_text() == FM + BODY + "\n" + line + MORE
    fix(vault, "--select", "ED001", "--unsafe-fixes")
    assert (vault / "note.md").read_text() == FM + BODY + MORE


def test_an_unclosed_thinking_block_has_no_fix(make_vault: VaultFactory) -> None:
    """Where an unclosed `<think>` block ends is unknown: reported, not deleted."""
    vault = make_vault({"note.md": FM + "<think>\nI will link memory.\n\n" + BODY})
    _, report = check_json(vault, "--select", "ED")
    [finding] = report["findings"]
    assert (finding["code"], finding["line"], finding["fix"]) == ("ED003", 6, None)


def test_thinking_tags_in_a_persons_note_are_theirs(make_vault: VaultFactory) -> None:
    plain = {f"plain/p{i}.md": f"Note {i} about [[Later {i}]].\n" for i in range(20)}
    note = "<think>\nWhat do I want from this year?\n</think>\n\nMore sleep.\n"
    vault = make_vault({"journal.md": note, **plain}, profile="auto")
    assert findings(vault, "--select", "ED") == []
    (vault / "journal.md").write_text("---\ngenerator: r1\n---\n" + note)
    assert findings(vault, "--select", "ED") == [("journal.md", 4, "ED003")]
