"""ED003 prompt-leak: leaked prompt material or model reasoning below a leaked line."""

from __future__ import annotations

from collections.abc import Iterator

from vaultbot import meaning
from vaultbot.note import Note
from vaultbot.profile import note_signals
from vaultbot.rules._editorial import Thought, find_thoughts, keeps_meaning, machine_made
from vaultbot.rules._leaks import Leak, find_leaks
from vaultbot.rules.base import Edit, Finding, Fix, Rule, delete_lines
from vaultbot.rules.ed001_editorial_line import hidden_headers, line_edit
from vaultbot.vault import Vault


class PromptLeak(Rule):
    """Leaked prompt material or model reasoning: a topic list, a checklist, a sandbox.

    ## What it does
    Finds the block of lines that belongs to a leaked prompt or reasoning line (the line
    itself is ED001's): the topic list below "Add backlinks using these topics:" (lines such as
    `Topic name – [[topic_name | Topic name]]`, blank lines between them or not, up to the
    first line that is not one), the items and "Confidence Score: 5/5" below "Constraint
    Checklist & Confidence Score:", the list below the model's account of its revision
    ("**Key Improvements and Explanations:**", "Explanation of changes:"), the reasoning
    below "Mental Sandbox:", and reasoning
    paragraphs that go on after "I need to make sure to link …" or a remark about "the
    provided transcript". A topic list whose prompt line is already gone is still found
    when at least two of its lines repeat their alias before the dash. A reasoning model's
    thinking saved with its answer (`<think>` … `</think>`, also `<thinking>`, `<reasoning>`)
    is reported whole, and so is the top of the body down to a `</think>` whose opening tag
    was cut.

    The block ends at a heading, another editorial line, code, or a paragraph that does not
    read like the model planning its edit. A leak that is one self-contained line is ED001's
    alone: this rule then does not fire. Shapes and phrases live in `editorial.toml`.

    In a personal vault, a note bearing no generator signals (see `vaultbot explain
    editorial-line`) has a leak only below a line that says what only a model writes
    (backlinks, the provided topics, its reasoning): "Here's my plan:" above a list, or
    "Add links to these books:" above a few links, is a person's.

    ## Why is this bad?
    The block is the generation prompt or the model's scratch work. Readers see it, its
    wikilinks create backlinks and graph edges to every topic of the prompt, and search
    finds it.

    ## Example
    ```markdown
    Slowing down AI development is seen as a crucial policy goal.

    Add backlinks using these topics:
    Llama 3 and AI advancements at Meta – [[llama_3_and_ai_advancements_at_meta | Llama 3 and AI advancements at Meta]]
    Open source AI models and their implications – [[open_source_ai_models_and_their_implications | Open source AI models and their implications]]
    ```

    ## Fix safety
    When the block lies between a reasoning model's thinking tags, in a note bearing
    generator signals, deleting it is safe: the model's own markup says where it ends.
    Without the opening tag the fix is unsafe, and an unclosed `<think>` has none; in a
    person's note (see `vaultbot explain editorial-line`) the tags are theirs and nothing
    fires. Deleting any other block is unsafe: where the block ends is inferred from the
    shape of its lines, and a line of real content written the same way would go with it.
    The fix deletes the block and, together with ED001's fix of the line above it, leaves no
    double blank line. When that line would leave nothing to find the block by (reasoning, a
    checklist), ED001 offers no fix and this fix deletes the line with its block.
    """

    code, name, severity = "ED003", "prompt-leak", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        yield from self._thoughts(note, vault)
        leaks = note.memo(find_leaks)
        persons = (
            bool(leaks) and vault.profile.name != "generated" and not note_signals(note, vault)
        )
        hidden = hidden_headers(leaks)
        for leak in leaks:
            header = leak.header
            if persons and header is not None and not machine_made(note.line_text(header)):
                continue  # "Here's my plan:" and its list, in a person's note
            start, end = note.line_span(leak.first)[0], note.line_span(leak.last)[1]
            lines = sum(1 for n in range(leak.first, leak.last + 1) if note.line_text(n).strip())
            where = (
                f"below the leaked line {leak.header}"
                if leak.header is not None
                else "whose prompt line is gone"
            )
            message = f"Leaked {leak.spec.label} ({lines} line{'s' * (lines != 1)}) {where}"
            yield self.finding(start, end, message, _leak_fix(note, leak, hidden))

    def _thoughts(self, note: Note, vault: Vault) -> Iterator[Finding]:
        """A reasoning model's `<think>` … `</think>` block, saved with its answer."""
        thoughts = note.memo(find_thoughts)
        if not thoughts:
            return
        generated = note_signals(note, vault)
        if not generated and vault.profile.name != "generated":
            return  # a person's note: their tags
        for thought in thoughts:
            lines = sum(
                1 for n in range(thought.first, thought.last + 1) if note.line_text(n).strip()
            )
            if not thought.closed:
                message = "Unclosed thinking block: leaked model reasoning, or a tag in the text"
                yield self.finding(thought.start, thought.end, message)
                continue
            where = "in a thinking block" if thought.opened else "above a stray closing tag"
            message = f"Leaked model reasoning ({lines} line{'s' * (lines != 1)}) {where}"
            # Between two tags the text is the reasoning, by the model's own markup; without
            # the opening tag, where the reasoning began is a guess.
            safety = "safe" if generated and thought.opened else "unsafe"
            edit = _thought_deletion(note, thought)
            fix = None
            # (Text inside the tags' HTML block is no Markdown: an anchor glued to the
            # closing tag would become one, which the fixer's guard refuses.)
            if meaning.preserved(note, [edit]):
                fix = Fix(safety, (edit,), "Delete the thinking block")
            yield self.finding(thought.start, thought.end, message, fix)


def _thought_deletion(note: Note, thought: Thought) -> Edit:
    """Delete the block's lines; when the answer goes on right after the closing tag, on its
    line, only up to the answer."""
    rest = note.text[thought.end : note.line_break(thought.end)]
    if rest.strip():
        answer = thought.end + len(rest) - len(rest.lstrip())
        return Edit(note.line_starts[thought.first - 1], answer, "")
    return delete_lines(note, thought.first, thought.last)


def _leak_fix(note: Note, leak: Leak, hidden: frozenset[int]) -> Fix | None:
    """Delete the block; with its header line when ED001 does not delete that line itself,
    and otherwise exactly what deleting both at once deletes beyond ED001's own edit."""
    fix = _leak_deletion(note, leak, hidden)
    return fix if fix is not None and keeps_meaning(note, fix.edits) else None


def _leak_deletion(note: Note, leak: Leak, hidden: frozenset[int]) -> Fix | None:
    title = f"Delete the leaked {leak.spec.label}"
    if leak.header is None:
        block = delete_lines(note, leak.first, leak.last)
        return Fix("unsafe", (block,), title)
    both = delete_lines(note, leak.header, leak.last)
    header = line_edit(note, leak.header, hidden)
    if header is None or not (both.start <= header.start and header.end <= both.end):
        return Fix("unsafe", (both,), title + " and the line above it")
    edits = tuple(
        Edit(start, end, "")
        for start, end in ((both.start, header.start), (header.end, both.end))
        if start < end
    )
    return Fix("unsafe", edits, title)
