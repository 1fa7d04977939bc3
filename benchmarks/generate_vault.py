"""Generate a large, deterministic Obsidian vault in the style of an LLM-written video-notes vault.

The notes imitate ``../shared/corpora/tubegraph-dwarkesh/vault``: YAML front matter with ``title``
and an 11-character ``videoId``, a ``From: [[channel | Channel Name]]`` line, ``##`` headings,
paragraphs and bullet lists of prose dotted with YouTube timestamp anchors
(``<a class="yt-timestamp" data-t="HH:MM:SS">[HH:MM:SS]</a>``, alone or as ranges) and wikilinks to
other generated notes. A small share of realistic defects is injected: editorial preamble lines,
anchors whose ``data-t`` and label disagree, links to notes that do not exist and reversed ranges.

Standard library only. The same arguments always produce byte-identical vaults.

    python benchmarks/generate_vault.py --notes 20000 --out /some/empty/dir
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# Defect rates, chosen near what the real tubegraph vault shows (251 notes: 70 preambles,
# 27 mismatched anchors, 144 missing link targets).
PREAMBLE_RATE = 0.25  # share of notes opening with an editorial line
MISMATCH_RATE = 0.004  # per anchor: data-t and label disagree
REVERSED_RATE = 0.002  # per range: end earlier than start
MISSING_LINK_RATE = 0.02  # per wikilink: target note does not exist

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

    def __init__(self, rng: random.Random, titles: list[str], stats: Stats) -> None:
        self.rng = rng
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
        if rng.random() < MISSING_LINK_RATE:
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
        if rng.random() < MISMATCH_RATE:
            self.stats.defects["mismatch"] += 1
            kind = rng.randrange(3)
            if kind == 0:  # off by exactly one hour, in the label
                return anchor(t, hms(self.clock + 3600))
            if kind == 1:  # off by one hour, in data-t (the label was right)
                return anchor(hms(self.clock + 3600), t)
            _, m, s = t.split(":")  # fields shifted: data-t="01:15:11">[00:01:15]
            return anchor(f"{m}:{s}:{rng.randint(10, 59):02d}", t)
        return anchor(t, t)

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
        if clean and rng.random() < REVERSED_RATE:
            self.stats.defects["reversed_range"] += 1
            return f"{second}{dash}{first}"
        return f"{first}{dash}{second}"

    def _sentence(self) -> str:
        rng = self.rng
        text = rng.choice(self.sentences)
        if rng.random() < 0.3:
            text += " " + self._link()
        r = rng.random()
        if r < 0.45:
            text += " " + self._range()
        elif r < 0.85:
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

    def note(self, title: str, target_bytes: int) -> str:
        rng = self.rng
        self.clock = rng.randint(0, 90)
        video_id = "".join(rng.choice(ID_ALPHABET) for _ in range(11))
        slug, name = rng.choice(CHANNELS)
        parts = [f"---\ntitle: {title}\nvideoId: {video_id}\n---", f"From: [[{slug} | {name}]]"]
        if rng.random() < PREAMBLE_RATE:
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


def generate(out: Path, notes: int = 20000, seed: int = 0, note_kb: float = 8) -> Stats:
    """Write `notes` topic notes (plus a few channel notes and `.obsidian/`) into `out`."""
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

    for slug, name in CHANNELS:
        write(f"{slug}.md", f'---\ntitle: {name}\ndate: "2025-05-21"\n---\n\nThe channel.\n')
        stats.channel_notes += 1

    titles = make_titles(rng, notes)
    writer = NoteWriter(rng, titles, stats)
    mean = note_kb * 1024
    for title in titles:
        # Sizes vary from half to one and a half times the mean, as real notes do.
        write(f"{slugify(title)}.md", writer.note(title, int(mean * rng.uniform(0.5, 1.5))))
        stats.notes += 1
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=20000, help="topic notes (default 20000)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (new or empty)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--note-kb", type=float, default=8, help="mean note size in KiB (default 8)"
    )
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} exists and is not empty")
    start = time.perf_counter()
    stats = generate(args.out, args.notes, args.seed, args.note_kb)
    elapsed = time.perf_counter() - start
    defects = ", ".join(f"{k} {v}" for k, v in stats.defects.items())
    print(
        f"wrote {stats.notes} notes + {stats.channel_notes} channel notes, "
        f"{stats.md_bytes / 2**20:.1f} MiB, {stats.anchors} anchors, {stats.links} links "
        f"in {elapsed:.1f} s to {args.out}\ninjected defects: {defects}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
