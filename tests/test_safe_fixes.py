"""Safe fixes never make a note worse (issue 9, §4; DESIGN.md §9)."""

from __future__ import annotations

from conftest import VaultFactory, check_json

from vaultbot.cli import main


def _anchor(data_t: str, label: str) -> str:
    return f'<a class="yt-timestamp" data-t="{data_t}">[{label}]</a>'


def _ts002(vault_note: str, make_vault: VaultFactory) -> list[tuple[str, str | None]]:
    vault = make_vault({"n.md": vault_note})
    _, document = check_json(vault, "--select", "TS002")
    return [(f["message"], f["fix"] and f["fix"]["applicability"]) for f in document["findings"]]


def test_ts002_never_moves_a_time_past_the_videos_end(make_vault: VaultFactory) -> None:
    # An 11-minute video: the label [09:09:30] sits beside another stamp that says 09:09:00,
    # but both are past the end; data-t 00:09:30 is the reading that fits the video.
    note = (
        "---\nvideoId: abcdefghijk\nduration: 00:11:00\n---\n\n"
        f"Early {_anchor('00:01:00', '00:01:00')}, later {_anchor('09:09:00', '09:09:00')},\n"
        f"then {_anchor('00:09:30', '09:09:30')}.\n"
    )
    [(message, fix)] = _ts002(note, make_vault)
    assert fix is None and "past the video's end" in message


def test_ts002_still_fixes_within_the_video(make_vault: VaultFactory) -> None:
    note = (
        "---\nvideoId: abcdefghijk\nduration: 02:00:00\n---\n\n"
        f"Early {_anchor('01:35:00', '01:35:00')}, then {_anchor('00:35:45', '01:35:45')}.\n"
    )
    [(message, fix)] = _ts002(note, make_vault)
    assert fix == "safe" and "the label fits" in message


def test_ts002_a_stamp_far_off_in_the_text_is_no_safe_support(make_vault: VaultFactory) -> None:
    # Notes jump about the video. A label equal to a stamp at the top of the note (copied from
    # it) or near one far away says nothing; the anchor's neighbours in the text do. Here
    # data-t 00:47:10 sits between its neighbours 00:40:02 and 00:55:30: no safe fix may
    # move it back to the first minutes.
    head = "---\nvideoId: abcdefghijk\nduration: 01:00:00\n---\n\n"
    copied = (
        f"Intro {_anchor('00:00:41', '00:00:41')}. Then {_anchor('00:40:02', '00:40:02')}.\n\n"
        f"Later {_anchor('00:47:10', '00:00:41')}, and {_anchor('00:55:30', '00:55:30')}.\n"
    )
    shifted = (  # the label is data-t moved one field right, its seconds lost
        f"Intro {_anchor('00:00:20', '00:00:20')}. Then {_anchor('00:51:02', '00:51:02')}.\n\n"
        f"Later {_anchor('00:56:17', '00:00:56')}.\n"
    )
    [(message, fix)] = _ts002(head + copied, make_vault)
    assert fix is None and "does not show which is right" in message, message
    # A stamp 36 s from the shifted label, at the top of the note: a hint, an unsafe fix.
    [(message, fix)] = _ts002(head + shifted, make_vault)
    assert fix == "unsafe" and "the label may fit (36 s from [00:00:20], elsewhere" in message


def test_ts002_a_neighbour_in_the_text_supports_a_reading(make_vault: VaultFactory) -> None:
    head = "---\nvideoId: abcdefghijk\nduration: 01:00:00\n---\n\n"
    body = (
        f"Intro {_anchor('00:00:41', '00:00:41')}. Then {_anchor('00:40:02', '00:40:02')},\n"
        f"{_anchor('00:10:30', '00:40:30')} and {_anchor('00:41:10', '00:41:10')}.\n"
    )
    [(message, fix)] = _ts002(head + body, make_vault)
    assert fix == "safe" and "the label fits (28 s from the neighbouring [00:40:02])" in message


def test_timestamp_alias_split_never_makes_a_markdown_link(make_vault: VaultFactory) -> None:
    vault = make_vault(
        {
            "topic.md": "x\n",
            "n.md": "A [[topic | [00:01:15]]](topic), and [[topic | [00:02:00]]] here.\n",
        }
    )
    _, document = check_json(vault, "--select", "LK002")
    fixes = [f["fix"] and f["fix"]["applicability"] for f in document["findings"]]
    assert fixes == [None, "unsafe"]


def test_ed001_above_a_wrapping_fence_is_fixed_with_the_fence(
    make_vault: VaultFactory,
) -> None:
    # The fence below the editorial line wraps the whole note (ED002 looks through that
    # line, issue 9): deleting the line changes no meaning, so the fixer's guard has nothing
    # to refuse, and the two fixes together leave the unwrapped text.
    head = "---\ntitle: T\nvideoId: abcdefghijk\n---\n\nFrom: [[channel]] <br/> \n"
    body = "Text.\n\n## A heading\n\nMore text.\n"
    note = (
        head + "Here is the article with the backlinks added:\n\n```markdown\n\n" + body + "```\n"
    )
    vault = make_vault({"n.md": note})
    _, document = check_json(vault, "--select", "ED001,ED002")
    assert [(f["code"], f["fix"]["applicability"]) for f in document["findings"]] == [
        ("ED001", "safe"),
        ("ED002", "safe"),
    ]
    assert main(["fix", "--select", "ED001,ED002", str(vault)]) == 1  # files were changed
    assert (vault / "n.md").read_text() == head + "\n" + body


def test_bare_label_of_a_broken_anchor_inside_a_wikilink_is_not_wrapped(
    make_vault: VaultFactory,
) -> None:
    """A wikilink whose alias swallowed a broken anchor (`[[t | [00:26:55]</a>, <a … ]]</a>`):
    wrapping the label would nest an anchor in the alias and leave `</a></a>` behind."""
    line = (
        "Trade mattered [[energy | [00:26:55]</a>, "
        '<a class="yt-timestamp" data-t="00:53:59]]</a>.\n'
        "Seen again [00:27:10]</a> later.\n"
    )
    vault = make_vault({"n.md": "---\nvideoId: abcdefghijk\n---\n\n" + line})
    _, document = check_json(vault, "--select", "TS006")
    fixes = [f["fix"] for f in document["findings"] if f["code"] == "TS006"]
    assert len(fixes) == 2 and fixes == [None, None]
    assert main(["fix", str(vault)]) in (0, 1)
    text = (vault / "n.md").read_text()
    assert "</a></a>" not in text and "[[energy | <a" not in text


def test_bare_label_is_still_wrapped_outside_links(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "---\nvideoId: abcdefghijk\n---\n\nAs said [00:27:10] here.\n"})
    _, document = check_json(vault, "--select", "TS006")
    [finding] = document["findings"]
    assert finding["fix"]["applicability"] == "safe"


def test_ts002_sides_seconds_apart_are_a_warning(make_vault: VaultFactory) -> None:
    # A click lands where the text promised, give or take a sentence: a warning. Minutes
    # apart, the reader lands elsewhere: an error.
    note = (
        "---\nvideoId: abcdefghijk\n---\n\n"
        f"Close {_anchor('00:21:50', '00:22:14')}, far {_anchor('00:31:50', '00:36:14')}.\n"
    )
    vault = make_vault({"n.md": note})
    _, document = check_json(vault, "--select", "TS002")
    found = [(f["severity"], f["message"].split(";")[0]) for f in document["findings"]]
    assert found == [
        ("warning", "Timestamp data-t 00:21:50 but label [00:22:14], 24 s apart"),
        ("error", "Timestamp data-t 00:31:50 but label [00:36:14]"),
    ]
