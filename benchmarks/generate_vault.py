"""Generate a large, deterministic Obsidian vault in the style of an LLM-written video-notes vault.

The notes imitate ``../shared/corpora/tubegraph-dwarkesh/vault``: YAML front matter with ``title``
and an 11-character ``videoId``, a ``From: [[channel | Channel Name]]`` line, ``##`` headings,
paragraphs and bullet lists of prose dotted with YouTube timestamp anchors
(``<a class="yt-timestamp" data-t="HH:MM:SS">[HH:MM:SS]</a>``, alone or as ranges) and wikilinks to
other generated notes. A small share of realistic defects is injected: editorial preamble lines,
anchors whose ``data-t`` and label disagree, links to notes that do not exist and reversed ranges.

Three profiles (``--profile``):

* ``real`` (the default): the densities measured on the real public LLM-generated vault (21,273
  notes): 7.9 KB per note, about 35 anchors per note of which about 10% are malformed or
  mismatched in that vault's ways (labels without brackets or in short form, ``data-t`` in
  short form, a ``Link`` label, a placeholder ``data-t``, an hour or a field off), 8.6 wikilinks
  per note of which a third point at missing notes, so about 8 findings per note;
* ``classic``: the earlier, sparser shape (about 0.4% mismatched anchors, 2% missing links);
* ``rich``: a human documentation vault: 15-25 front-matter keys per note (nested lists and
  mappings, dates, quoted strings, numbers, booleans), then headings, prose, lists, code blocks
  and links, no timestamps; 4,000 notes by default;
* ``personal``: a person's vault in the shapes that made vaultbot slow on real ones (not its
  densities: it has none to match): 10,000 notes by default in 40 x 25 folders, each folder
  with an ``index.md`` folder note, a ``Daily/`` note per day, 20,000 numbered attachments
  (``Pasted image YYYYMMDDhhmmss.png``), and links of every kind: to notes, to headings (some
  missing), to folder notes by their shared name, by path, to notes not yet written, to days,
  embeds of attachments (some gone); tasks, callouts and short front matter.

``--measure PATH...`` prints the same densities for any vault (the corpora, a generated one).
Standard library only. The same arguments always produce byte-identical vaults.

    python benchmarks/generate_vault.py --notes 20000 --out /some/empty/dir
    python benchmarks/generate_vault.py --measure ../shared/corpora/tubegraph-dwarkesh/vault
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Profile:
    """The shape of the notes: sizes, densities and defect rates."""

    name: str
    note_kb: float  # mean note size in KiB
    notes: int  # default number of notes
    preamble_rate: float = 0.25  # share of notes opening with an editorial line
    mismatch_rate: float = 0.004  # per anchor: data-t and label disagree
    malformed_rate: float = 0.0  # per anchor: written in one of the real vault's wrong ways
    reversed_rate: float = 0.002  # per range: end earlier than start
    missing_link_rate: float = 0.02  # per wikilink: target note does not exist
    link_rate: float = 0.3  # per sentence: a wikilink
    range_rate: float = 0.45  # per sentence: a timestamp range (else maybe a single anchor)
    single_rate: float = 0.40  # per sentence: a single timestamp anchor
    rich: bool = False  # a documentation vault: rich front matter, no timestamps
    personal: bool = False  # a person's vault: folders, folder notes, days, attachments


PROFILES = {
    # Measured on the public LLM-generated vault (issue 13); tuned so that --measure prints
    # those densities.
    "real": Profile(
        "real", note_kb=7.6, notes=20000, mismatch_rate=0.05, malformed_rate=0.10,
        reversed_rate=0.01, missing_link_rate=0.37, link_rate=0.255, range_rate=0.35,
        single_rate=0.45,
    ),
    # The earlier shape (251 notes of tubegraph-dwarkesh: 70 preambles, 27 mismatched anchors,
    # 144 missing link targets).
    "classic": Profile("classic", note_kb=8, notes=20000),
    "rich": Profile("rich", note_kb=3, notes=4000, preamble_rate=0.0, missing_link_rate=0.05,
                    link_rate=0.2, rich=True),
    "personal": Profile("personal", note_kb=3, notes=10000, preamble_rate=0.0, personal=True),
}  # fmt: skip

PREAMBLES = (
    "Here is the modified article with added backlinks:",
    "Here is the modified article:",
    "Here is the modified article with the added backlinks:",
    "Here is the article with added backlinks:",
    "Here is the modified article with inserted backlinks:",
    "Here is the modified article with backlinks added:",
)

CHANNELS = (
    ("dwarkesh", "The Dwarkesh Podcast"),
    ("lex_fridman", "Lex Fridman Podcast"),
    ("machine_learning_street_talk", "Machine Learning Street Talk"),
    ("the_gradient", "The Gradient Podcast"),
    ("bg2pod", "BG2 Pod"),
    ("no_priors", "No Priors"),
)

SPEAKERS = (
    "Schulman",
    "Dean",
    "Shazeer",
    "Shulman",
    "Hassabis",
    "Karpathy",
    "Sutskever",
    "Amodei",
    "the guest",
    "the host",
    "Patel",
    "Chollet",
)

TOPICS = (
    "Artificial General Intelligence",
    "AI Alignment",
    "Reinforcement Learning",
    "Pre-training",
    "Post-training",
    "Scaling Laws",
    "Compute",
    "Data Efficiency",
    "Interpretability",
    "AI Safety",
    "Hardware Design",
    "Semiconductor Supply Chains",
    "Energy Infrastructure",
    "Economic Growth",
    "Labor Markets",
    "Automation",
    "Geopolitics",
    "Export Controls",
    "Biosecurity",
    "Cybersecurity",
    "Open Source Models",
    "Model Evaluation",
    "Long-Horizon Tasks",
    "Sample Efficiency",
    "Synthetic Data",
    "Reward Modeling",
    "Human Feedback",
    "Chain of Thought",
    "Tool Use",
    "Agents",
    "Memory Systems",
    "Context Windows",
    "Mixture of Experts",
    "Distillation",
    "Quantization",
    "Inference Costs",
    "Training Runs",
    "Research Taste",
    "Scientific Discovery",
    "Drug Discovery",
    "Genomics",
    "Neuroscience",
    "Evolution",
    "Consciousness",
    "Moral Patienthood",
    "Governance",
    "Regulation",
    "Startups",
    "Venture Capital",
    "Corporate Strategy",
    "Recruitment",
    "Management",
    "Software Engineering",
    "Programming Languages",
    "Distributed Systems",
    "Search Engines",
    "Robotics",
    "Self-Driving Cars",
    "Protein Folding",
    "Mathematics",
    "Physics",
    "Holography",
    "Game Theory",
    "Coordination Problems",
    "Historical Analogies",
    "Industrial Revolution",
    "Population Dynamics",
    "Education",
    "Career Paths",
    "Productivity",
    "Intelligence Explosion",
    "Takeoff Speeds",
    "Existential Risk",
    "Deception",
    "Power Seeking",
    "Oversight",
    "Red Teaming",
    "Benchmarks",
    "Multimodality",
    "Video Generation",
)

DOMAINS = (
    "AI Development",
    "Modern Economies",
    "Frontier Labs",
    "National Security",
    "Scientific Research",
    "Technology Companies",
    "Global Politics",
    "Healthcare",
    "Finance",
    "Manufacturing",
    "Education Systems",
    "History",
    "Biology",
    "Computing",
    "Society",
    "the Next Decade",
    "Language Models",
    "Deep Learning",
    "Startups",
    "Government Policy",
)

TITLE_TEMPLATES = (
    "{a} and {b}",
    "{a} in {d}",
    "Role of {a} in {d}",
    "{a} and {b} in {d}",
    "Impact of {a} on {b}",
    "Challenges of {a}",
    "Future of {a}",
    "{a}, {b} and {c}",
    "Evolution of {a} in {d}",
    "{a} versus {b}",
)

VERBS = (
    "explains that",
    "argues that",
    "notes that",
    "suggests that",
    "points out that",
    "emphasizes that",
    "recalls that",
    "speculates that",
    "cautions that",
    "observes that",
)

CLAIMS = (
    "{t} depends heavily on {u}",
    "progress in {t} has been faster than most people expected",
    "{t} will likely matter more than {u} over the next few years",
    'the main bottleneck for {t} is not {u} but "taste" and careful iteration',
    "{t} could unlock qualitatively new capabilities once {u} is solved",
    "early work on {t} was dismissed, yet it now underpins {u}",
    "the economics of {t} resemble those of {u} in earlier decades",
    "{t} and {u} are often conflated, although they raise different questions",
    "teams working on {t} need much tighter feedback loops with {u}",
    "a plausible path forward combines {t} with better {u}",
    "the hardest part of {t} is measuring it, since {u} keeps shifting",
    "{t} behaves like a phase transition rather than a smooth curve",
)

TAILS = (
    "",
    ", which he describes as a recurring theme of the conversation",
    ", citing several concrete examples from his own experience",
    ", although he admits the evidence is still thin",
    ", comparing it to how large organisations adopted electricity",
    ", and he expects this to change within one to five years",
    ", a view that the host pushes back on",
    ", especially when models are asked to act over long periods",
)

BULLET_LEADS = (
    "Key point",
    "Historical context",
    "Counterargument",
    "Practical implication",
    "Open question",
    "Example",
    "Risk",
    "Opportunity",
    "Bottleneck",
    "Prediction",
)

HEADING_FORMS = (
    "Current {t}",
    "Potential Bottlenecks to {t}",
    "{t} and {u}",
    "Future of {t}",
    "Early Work on {t}",
    "Safety Considerations for {t}",
    "Economic Impact of {t}",
    "{t} in Practice",
    "Conclusion",
)

ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
RANGE_DASHES = ("-", "-", " - ", " – ")
_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(title: str) -> str:
    """The file-name style of the real vault: lowercase words joined by underscores."""
    return _SLUG.sub("_", title.lower()).strip("_")


def hms(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


def anchor(data_t: str, label: str) -> str:
    return f'<a class="yt-timestamp" data-t="{data_t}">[{label}]</a>'


@dataclass
class Stats:
    """What was written and which defects were injected."""

    notes: int = 0
    channel_notes: int = 0
    md_bytes: int = 0
    anchors: int = 0
    links: int = 0
    defects: dict[str, int] = field(
        default_factory=lambda: {
            "preamble": 0,
            "mismatch": 0,
            "reversed_range": 0,
            "missing_link": 0,
            "malformed": 0,
        }
    )


def make_titles(rng: random.Random, count: int) -> list[str]:
    """`count` distinct titles with distinct slugs."""
    titles: list[str] = []
    seen: set[str] = set()
    attempts = 0
    while len(titles) < count:
        attempts += 1
        a, b, c = rng.sample(TOPICS, 3)
        title = rng.choice(TITLE_TEMPLATES).format(a=a, b=b, c=c, d=rng.choice(DOMAINS))
        if attempts > count * 20:  # the combination space is exhausted: number the rest
            title = f"{title} (Part {len(titles)})"
        slug = slugify(title)
        if slug in seen or any(slug == ch for ch, _ in CHANNELS):
            continue
        seen.add(slug)
        titles.append(title)
    return titles


def make_sentences(rng: random.Random, count: int) -> list[str]:
    """A pool of prose sentences without the final full stop."""
    pool: list[str] = []
    for _ in range(count):
        t, u = rng.sample(TOPICS, 2)
        claim = rng.choice(CLAIMS).format(t=t.lower(), u=u.lower())
        pool.append(f"{rng.choice(SPEAKERS).capitalize()} {rng.choice(VERBS)} {claim}")
        pool[-1] += rng.choice(TAILS)
    return pool


class NoteWriter:
    """Builds one note's text; shares the pools and the statistics across notes."""

    def __init__(
        self, rng: random.Random, titles: list[str], stats: Stats, profile: Profile
    ) -> None:
        self.rng = rng
        self.profile = profile
        self.titles = titles
        self.slugs = [slugify(t) for t in titles]
        self.existing = set(self.slugs)
        self.sentences = make_sentences(rng, 4000)
        self.stats = stats
        self.clock = 0
        self.block_mean = 2000.0  # running mean size of a section, in characters

    # -- inline pieces -------------------------------------------------------------------------

    def _link(self) -> str:
        rng = self.rng
        self.stats.links += 1
        if rng.random() < self.profile.missing_link_rate:
            self.stats.defects["missing_link"] += 1
            t, u = rng.sample(TOPICS, 2)
            title = f"{t} Considerations for {u} Teams"
            slug = slugify(title)
            while slug in self.existing:  # never happens with the vocabulary above; be safe
                slug += "_x"
        else:
            i = rng.randrange(len(self.titles))
            title, slug = self.titles[i], self.slugs[i]
        return f"[[{slug} | {title}]]" if rng.random() < 0.85 else f"[[{slug}]]"

    def _single(self) -> str:
        rng = self.rng
        self.clock += rng.randint(4, 45)
        self.stats.anchors += 1
        t = hms(self.clock)
        if self.profile.malformed_rate and rng.random() < self.profile.malformed_rate:
            self.stats.defects["malformed"] += 1
            return self._malformed(t)
        if rng.random() < self.profile.mismatch_rate:
            self.stats.defects["mismatch"] += 1
            kind = rng.randrange(3)
            if kind == 0:  # off by exactly one hour, in the label
                return anchor(t, hms(self.clock + 3600))
            if kind == 1:  # off by one hour, in data-t (the label was right)
                return anchor(hms(self.clock + 3600), t)
            _, m, s = t.split(":")  # fields shifted: data-t="01:15:11">[00:01:15]
            return anchor(f"{m}:{s}:{rng.randint(10, 59):02d}", t)
        return anchor(t, t)

    def _malformed(self, t: str) -> str:
        """An anchor written in one of the ways the real vault gets wrong (most often first)."""
        h, m, sec = t.split(":")
        short = f"{int(h)}:{m}:{sec}" if h != "00" else f"{m}:{sec}"
        kind = self.rng.choices(range(6), weights=(60, 12, 10, 8, 5, 5))[0]
        if kind == 0:  # no brackets around the label
            return f'<a class="yt-timestamp" data-t="{t}">{t}</a>'
        if kind == 1:  # the label in short form
            return anchor(t, short)
        if kind == 2:  # data-t in short form
            return anchor(short, t)
        if kind == 3:  # a word for a label
            return f'<a class="yt-timestamp" data-t="{t}">Link</a>'
        if kind == 4:  # a placeholder left in
            return f'<a class="yt-timestamp" data-t="HH:MM:SS">{t}</a>'
        return f'<a class="yt-timestamp" data-t="{t}</a>'  # the tag cut short

    def _range(self) -> str:
        rng = self.rng
        mismatches = self.stats.defects["mismatch"]
        first = self._single()
        self.clock += rng.randint(5, 60)
        self.stats.anchors += 1
        end = hms(self.clock)
        second = anchor(end, end)
        dash = rng.choice(RANGE_DASHES)
        # Only reverse clean ranges, so that each injected defect is exactly one finding.
        clean = self.stats.defects["mismatch"] == mismatches
        if clean and rng.random() < self.profile.reversed_rate:
            self.stats.defects["reversed_range"] += 1
            return f"{second}{dash}{first}"
        return f"{first}{dash}{second}"

    def _sentence(self) -> str:
        rng = self.rng
        text = rng.choice(self.sentences)
        profile = self.profile
        if rng.random() < profile.link_rate:
            text += " " + self._link()
        if profile.rich:
            return text + "."
        r = rng.random()
        if r < profile.range_rate:
            text += " " + self._range()
        elif r < profile.range_rate + profile.single_rate:
            text += " " + self._single()
        return text + "."

    # -- blocks --------------------------------------------------------------------------------

    def _paragraph(self) -> str:
        return " ".join(self._sentence() for _ in range(self.rng.randint(2, 5)))

    def _bullets(self) -> str:
        rng = self.rng
        marker = "*   " if rng.random() < 0.7 else "- "
        items = []
        for _ in range(rng.randint(3, 5)):
            lead = rng.choice(BULLET_LEADS)
            items.append(f"{marker}**{lead}**: {self._sentence()}")
        return "\n".join(items)

    def _heading(self, level: int) -> str:
        t, u = self.rng.sample(TOPICS, 2)
        return "#" * level + " " + self.rng.choice(HEADING_FORMS).format(t=t, u=u)

    def _front_matter(self, title: str) -> str:
        """15-25 keys as a documentation team writes them: nested lists and mappings, dates,
        quoted strings, numbers and booleans."""
        rng = self.rng
        year, month, day = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
        tags = ", ".join(slugify(t) for t in rng.sample(TOPICS, rng.randint(2, 5)))
        owner, reviewer = rng.sample(SPEAKERS[:8], 2)
        lines = [
            f'title: "{title}"',
            f"aliases:\n  - '{title.split(' and ')[0]}'\n  - {slugify(title)[:24]}",
            f"created: {year}-{month:02d}-{day:02d}",
            f"updated: {year}-{month:02d}-{min(day + rng.randint(0, 3), 28):02d}",
            f"tags: [{tags}]",
            f"status: {rng.choice(('draft', 'review', 'published', 'archived'))}",
            f"owner: {owner}",
            f"reviewers:\n  - name: {reviewer}\n    approved: {rng.choice(('true', 'false'))}"
            f"\n    date: {year}-{month:02d}-{day:02d}",
            f"version: {rng.randint(1, 12)}",
            f"weight: {rng.randint(1, 99) / 100}",
            f"draft: {rng.choice(('true', 'false'))}",
            'summary: "{}."'.format(rng.choice(self.sentences).replace('"', '\\"')),
            f"category: {rng.choice(DOMAINS)}",
            f"audience:\n  - {rng.choice(('engineers', 'operators', 'managers'))}"
            f"\n  - {rng.choice(('new hires', 'reviewers', 'partners'))}",
            f'related:\n  - "[[{rng.choice(self.slugs)}]]"\n  - "[[{rng.choice(self.slugs)}]]"',
            f"source: 'https://docs.example.org/{slugify(title)}'",
            f"permalink: /{slugify(title)}/",
        ]
        optional = [
            f"priority: {rng.randint(1, 5)}",
            f"license: {rng.choice(('CC-BY-4.0', 'MIT', 'internal'))}",
            "toc: true",
            f"estimated_minutes: {rng.randint(2, 40)}",
            f"review_cycle: {rng.choice(('quarterly', 'yearly'))}",
            f'sidebar:\n  order: {rng.randint(1, 50)}\n  label: "{title[:30]}"',
            f"description: >\n  {rng.choice(self.sentences)}.\n  Read with care.",
            "deprecated: null",
        ]
        lines += rng.sample(optional, rng.randint(0, 7))
        return "\n".join(lines)

    def _code(self) -> str:
        t = slugify(self.rng.choice(TOPICS))
        return f"```python\ndef {t}(vault):\n    return [note for note in vault if note.{t}]\n```"

    def rich_note(self, title: str, target_bytes: int) -> str:
        """A documentation note: rich front matter, then headings, prose, lists, code."""
        rng = self.rng
        parts = [f"---\n{self._front_matter(title)}\n---", f"# {title}", self._paragraph()]
        size = sum(len(p) + 2 for p in parts)
        while size < target_bytes:
            r = rng.random()
            block = (
                self._heading(2)
                if r < 0.2
                else self._code()
                if r < 0.3
                else self._bullets()
                if r < 0.5
                else self._paragraph()
            )
            parts.append(block)
            size += len(block) + 2
        return "\n\n".join(parts) + "\n"

    def note(self, title: str, target_bytes: int) -> str:
        if self.profile.rich:
            return self.rich_note(title, target_bytes)
        rng = self.rng
        self.clock = rng.randint(0, 90)
        video_id = "".join(rng.choice(ID_ALPHABET) for _ in range(11))
        slug, name = rng.choice(CHANNELS)
        parts = [f"---\ntitle: {title}\nvideoId: {video_id}\n---", f"From: [[{slug} | {name}]]"]
        if rng.random() < self.profile.preamble_rate:
            self.stats.defects["preamble"] += 1
            parts.append(rng.choice(PREAMBLES))
        parts.append(self._paragraph())
        size = sum(len(p) + 2 for p in parts)
        # Stop when the next section would overshoot by more than half, to hit the mean size.
        while size + self.block_mean / 2 < target_bytes:
            block = self._heading(2 if rng.random() < 0.75 else 3)
            for _ in range(rng.randint(1, 3)):
                block += "\n\n" + (self._bullets() if rng.random() < 0.35 else self._paragraph())
            parts.append(block)
            size += len(block) + 2
            self.block_mean += (len(block) + 2 - self.block_mean) / 64
        return "\n\n".join(parts) + "\n"


def generate(
    out: Path,
    notes: int | None = None,
    seed: int = 0,
    note_kb: float | None = None,
    profile: str = "real",
) -> Stats:
    """Write `notes` topic notes (plus a few channel notes and `.obsidian/`) into `out`; the
    profile gives the defaults of `notes` and `note_kb`."""
    shape = PROFILES[profile]
    notes = shape.notes if notes is None else notes
    note_kb = shape.note_kb if note_kb is None else note_kb
    rng = random.Random(seed)
    stats = Stats()
    out.mkdir(parents=True, exist_ok=True)
    (out / ".obsidian").mkdir(exist_ok=True)
    (out / ".obsidian" / "app.json").write_text("{}\n", encoding="utf-8")

    def write(name: str, text: str) -> None:
        data = text.encode("utf-8")
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(data)
        stats.md_bytes += len(data)

    if shape.personal:
        _personal_vault(out, rng, notes, note_kb, write, stats)
        return stats
    for slug, name in CHANNELS:
        write(f"{slug}.md", f'---\ntitle: {name}\ndate: "2025-05-21"\n---\n\nThe channel.\n')
        stats.channel_notes += 1

    titles = make_titles(rng, notes)
    writer = NoteWriter(rng, titles, stats, shape)
    mean = note_kb * 1024
    for title in titles:
        # Sizes vary from half to one and a half times the mean, as real notes do.
        write(f"{slugify(title)}.md", writer.note(title, int(mean * rng.uniform(0.5, 1.5))))
        stats.notes += 1
    return stats


#: A `personal` vault's folders, days and attachments.
FOLDERS = [f"Area {a}/Topic {t}" for a in range(40) for t in range(25)]
DAYS = 2000
ATTACHMENTS = 20000


def _personal_vault(
    out: Path,
    rng: random.Random,
    notes: int,
    note_kb: float,
    write: Callable[[str, str], None],
    stats: Stats,
) -> None:
    """A person's vault (the `personal` profile): see the module's docstring."""
    writer = NoteWriter(rng, make_titles(rng, notes), stats, PROFILES["rich"])
    start = datetime.date(2019, 1, 1)
    days = [str(start + datetime.timedelta(days=k)) for k in range(DAYS)]
    stamp = datetime.datetime(2022, 1, 1)
    images = [
        f"Pasted image {(stamp + datetime.timedelta(seconds=97 * k)):%Y%m%d%H%M%S}.png"
        for k in range(ATTACHMENTS)
    ]
    (out / "Attachments").mkdir(exist_ok=True)
    for image in images:
        (out / "Attachments" / image).write_bytes(b"\x89PNG\r\n\x1a\n")
    places = [(rng.choice(FOLDERS), title) for title in writer.titles]
    headings = [writer._heading(2)[3:] for _ in range(40)]

    def link() -> str:
        stats.links += 1
        folder, title = rng.choice(places)
        r = rng.random()
        if r < 0.35:
            return f"[[{title}]]"
        if r < 0.5:
            return f"[[{title}#{rng.choice(headings)}]]"  # about half of them are missing
        if r < 0.55:
            return "[[index]]"  # a folder note, by the name all of them share
        if r < 0.65:
            return f"[[{folder}/{title}|{title.split(' and ')[0]}]]"
        if r < 0.75:
            return f"[[{rng.choice(writer.titles)} {rng.randint(2, 9)}]]"  # not yet written
        if r < 0.85:
            return (
                f"[[{rng.choice(days)}]]" if rng.random() < 0.9 else f"[[{start.year - 1}-06-01]]"
            )
        image = rng.choice(images)
        return f"![[{image if rng.random() < 0.9 else image[:-6] + '99.png'}]]"  # some gone

    def body(title: str, target: int) -> str:
        tags = ", ".join(slugify(t) for t in rng.sample(TOPICS, 2))
        parts = [f"---\ntags: [{tags}]\naliases: [{title.split(' and ')[0]}]\n---", f"# {title}"]
        size = 0
        while size < target:
            r = rng.random()
            if r < 0.25:
                block = "## " + rng.choice(headings)
            elif r < 0.35:
                block = f"- [ ] {rng.choice(writer.sentences)} {link()}\n- [x] done ^t{rng.randint(0, 999)}"
            elif r < 0.4:
                block = (
                    f"> [!note] {rng.choice(headings)}\n> {rng.choice(writer.sentences)} {link()}"
                )
            else:
                block = " ".join(
                    rng.choice(writer.sentences)
                    + "."
                    + (f" {link()}" if rng.random() < 0.5 else "")
                    for _ in range(rng.randint(2, 5))
                )
            parts.append(block)
            size += len(block) + 2
        return "\n\n".join(parts) + "\n"

    for folder in FOLDERS:
        (out / folder).mkdir(parents=True, exist_ok=True)
        write(f"{folder}/index.md", f"# {folder}\n\nThe notes of {folder}.\n")
        stats.channel_notes += 1
    (out / "Daily").mkdir(exist_ok=True)
    for day in days:
        write(f"Daily/{day}.md", body(day, 300))
        stats.channel_notes += 1
    mean = note_kb * 1024
    for folder, title in places:
        write(f"{folder}/{title}.md", body(title, int(mean * rng.uniform(0.5, 1.5))))
        stats.notes += 1


_ANCHOR = re.compile(r'<a class="yt-timestamp"')
_WELL_FORMED = re.compile(r'<a class="yt-timestamp" data-t="(\d\d:\d\d:\d\d)">\[(\1)\]</a>')
_WIKILINK = re.compile(r"\[\[([^\]|#\n]*)")


@dataclass
class Densities:
    notes: int = 0
    md_bytes: int = 0
    anchors: int = 0
    bad_anchors: int = 0  # malformed or label and data-t disagree
    links: int = 0
    missing: int = 0  # links whose target names no note of the vault
    front_matter_keys: int = 0

    def line(self, name: str) -> str:
        n = max(self.notes, 1)
        return (
            f"{name}: {self.notes} notes, {self.md_bytes / n / 1000:.1f} KB/note, "
            f"{self.anchors / n:.1f} anchors/note ({self.bad_anchors / max(self.anchors, 1):.1%} "
            f"malformed or mismatched), {self.links / n:.1f} wikilinks/note "
            f"({self.missing / max(self.links, 1):.0%} to missing notes), "
            f"{self.front_matter_keys / n:.1f} front-matter keys/note"
        )


def measure(vault: Path) -> Densities:
    """The densities the profiles imitate, counted in any vault (dot folders skipped)."""
    paths = [p for p in vault.rglob("*.md") if not any(x.startswith(".") for x in p.parts)]
    names = {p.stem.lower() for p in paths}
    found = Densities(notes=len(paths))
    for path in paths:
        data = path.read_bytes()
        text = data.decode("utf-8", errors="replace")
        found.md_bytes += len(data)
        anchors = len(_ANCHOR.findall(text))
        found.anchors += anchors
        found.bad_anchors += anchors - len(_WELL_FORMED.findall(text))
        for m in _WIKILINK.finditer(text):
            found.links += 1
            target = m.group(1).strip().rsplit("/", 1)[-1].lower()
            found.missing += target.removesuffix(".md") not in names
        if text.startswith("---\n") and "\n---" in text[3:]:
            block = text[4 : text.index("\n---", 3)]
            found.front_matter_keys += sum(
                1 for line in block.split("\n") if line[:1].isalpha() and ":" in line
            )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default="real",
        help="the shape of the notes (default real)",
    )
    parser.add_argument(
        "--notes", type=int, help="topic notes (default: the profile's, 20000 or 4000 for rich)"
    )
    parser.add_argument("--out", type=Path, help="output folder (new or empty)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--note-kb", type=float, help="mean note size in KiB (default: the profile's)"
    )
    parser.add_argument(
        "--measure",
        type=Path,
        nargs="+",
        metavar="VAULT",
        help="print the densities of these vaults and exit",
    )
    args = parser.parse_args(argv)  # fmt: skip
    if args.measure:
        for vault in args.measure:
            print(measure(vault).line(str(vault)))
        return 0
    if args.out is None:
        parser.error("--out is required")
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} exists and is not empty")
    start = time.perf_counter()
    stats = generate(args.out, args.notes, args.seed, args.note_kb, args.profile)
    elapsed = time.perf_counter() - start
    defects = ", ".join(f"{k} {v}" for k, v in stats.defects.items())
    print(
        f"wrote {stats.notes} notes + {stats.channel_notes} channel notes ({args.profile}), "
        f"{stats.md_bytes / 2**20:.1f} MiB, {stats.anchors} anchors, {stats.links} links "
        f"in {elapsed:.1f} s to {args.out}\ninjected defects: {defects}"
    )
    print(measure(args.out).line("densities"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
