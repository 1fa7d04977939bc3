"""How `vaultbot check` and `fix` scale with hostile and with normal notes.

For every shape below, a one-note vault is written at sizes n, 2n and 4n; each run is a fresh
`vaultbot` process whose CPU time (user + system) and peak RSS (`os.wait4`) are measured: CPU
time, unlike wall time, hardly moves when other work shares the machine. The growth exponent
is log2 of the ratio between consecutive sizes of the cost above a baseline run (an empty
note), so 1.0 means linear and 2.0 quadratic. Every exponent should be at most about 1.2.

    python benchmarks/scaling.py                  # every shape, check and fix
    python benchmarks/scaling.py --quick          # smaller sizes (a smoke test)
    python benchmarks/scaling.py --shape fm-alias-bomb --command check

Standard library only; run it with the Python that has vaultbot installed. The shapes are
also the inputs of `tests/test_hostile_cost.py`.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANCHOR = '<a class="yt-timestamp" data-t="00:01:00">[00:01:00]</a>'
OPEN = '<a class="yt-timestamp" data-t="'
VIDEO = "---\ntitle: Hostile\nvideoId: abcdefghijk\n---\n"
SUPPRESSED = "%% vaultbot: disable[ED001] %% [[missing]] %% vaultbot: enable[ED001] %%\n"


@dataclass(frozen=True)
class Shape:
    """A note built from a size `n`; `n` is the size the tests use (minutes or GB before)."""

    name: str
    build: Callable[[int], str]
    n: int  # the size the tests run (today's cost was minutes or gigabytes at this size)
    bench_n: int  # the benchmark's smallest size (it also runs 2n and 4n)
    about: str
    #: Whether `tests/test_hostile_cost.py` runs it: the shapes that cost minutes or
    #: gigabytes before the fix (the others are yardsticks, or were found linear already).
    tested: bool = True


def _realistic(n: int) -> str:
    """A generated video note of about n kB (benchmarks/generate_vault.py)."""
    sys.path.insert(0, str(HERE))
    import generate_vault as gen

    rng = random.Random(0)
    titles = gen.make_titles(rng, 50)
    writer = gen.NoteWriter(rng, titles, gen.Stats(), gen.PROFILES["real"])
    return writer.note(titles[0], n * 1024)


def _zettelkasten(n: int) -> str:
    """A hand-written-style note of about n kB: headings, links, lists, code, tags, math."""
    rng = random.Random(1)
    words = "proof lemma graph vertex automaton state logic model type kernel cache".split()  # noqa: SIM905
    parts = ["---\ntags: [math, logic]\naliases: [Hostile]\n---\n# Notes\n"]
    size = 0
    i = 0
    while size < n * 1024:
        i += 1
        sentence = " ".join(rng.choice(words) for _ in range(12))
        block = (
            f"\n## Section {i}\n\n{sentence.capitalize()} [[{rng.choice(words).title()}]] and "
            f"[[Note {i % 97}|alias]] with $x_{i}$ and `code {i}` #tag{i % 7}.\n\n"
            f"- item [[{rng.choice(words)}#Heading]]\n- item two ^block{i}\n\n"
            f"```python\nprint({i})  # [[not a link]]\n```\n"
        )
        parts.append(block)
        size += len(block)
    return "".join(parts)


def _mismatched_run(n: int) -> str:
    """n anchors, one a line, all with a label one hour after `data-t`."""
    lines = []
    for i in range(n):
        m, s = i // 60 % 60, i % 60
        lines.append(
            f'<a class="yt-timestamp" data-t="00:{m:02d}:{s:02d}">[01:{m:02d}:{s:02d}]</a>\n'
        )
    return VIDEO + "".join(lines)


def _mismatched_mixed(n: int) -> str:
    """n lines of an agreeing anchor and a mismatched one."""
    return VIDEO + "".join(
        f'<a class="yt-timestamp" data-t="00:{i % 60:02d}:00">[00:{i % 60:02d}:00]</a> '
        f'<a class="yt-timestamp" data-t="00:{i % 60:02d}:30">[02:{i % 60:02d}:30]</a>\n'
        for i in range(n)
    )


def _alias_bomb(n: int) -> str:
    """Nine levels of nine aliases ("billion laughs") in front matter, n lines of body."""
    levels = [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)]
    head = "---\na0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(levels) + "videoId: *a9\n---\n"
    return head + "text\n" * n


def _front_matter(n: int) -> str:
    return "---\n" + "".join(f"key{i}: value {i}\n" for i in range(n)) + "---\nbody\n"


def _editorial_spaces(n: int) -> str:
    spaces = " " * n
    return f"Add backlinks using these topics: x:{spaces}*{spaces}x\n{spaces}x - [[a]]\n"


def _heading_links(n: int) -> str:
    """n headings and n links to headings the note does not have (LK003 suggests one)."""
    headings = "".join(f"## h{i}\n" for i in range(n))
    return headings + "".join(f"[[#x{i}]] " for i in range(n)) + "\n"


def _title_h1s(n: int) -> str:
    """A note titled in front matter: n blank lines, then n H1 headings repeating the title."""
    return "---\ntitle: x\n---\n" + "\n" * n + "# x\n" * n


def _orphan_topics(n: int) -> str:
    """n leaked topic lines `Name – [[name | Name]]`, each cut off by a heading."""
    return "".join(f"Topic {i} – [[t{i} | Topic {i}]]\n## h\n" for i in range(n))


def _escaped_links(n: int) -> str:
    """n front-matter links written with an escape, so the text never holds them as read."""
    return "---\n" + "".join(f'k{i}: "[[a\\u0041{i}]]"\n' for i in range(n)) + "---\n"


# name, build, n (the tests' size: minutes or gigabytes before the fix), bench_n, about
# fmt: off
SHAPES: tuple[Shape, ...] = (
    Shape("wikilink-opens", lambda n: "[[a " * n + "\n", 50_000, 50_000,
          "`[[a ` repeated on one line (each finding copied its line: 9.9 GB)"),
    Shape("brace-spaces", lambda n: "[[{a" + " " * n + "b]]\n", 200_000, 400_000,
          "`[[{a` + spaces + `b]]` (over 100 s)"),
    Shape("brace-run", lambda n: "[[" + "{" * n + "]]\n", 200_000, 1_000_000,
          "`[[` + `{` repeated, closed (39 s)"),
    Shape("dash-comments", lambda n: VIDEO + (ANCHOR + " - %%x%% y") * n + "\n", 10_000, 20_000,
          "an anchor and ` - %%x%% y`, repeated on one line (87 s)"),
    Shape("anchor-opens", lambda n: OPEN * n + "\n", 10_000, 20_000,
          '`<a class="yt-timestamp" data-t="` repeated (3.2 GB)'),
    Shape("unclosed-anchors", lambda n: VIDEO + ANCHOR[:-4].replace("]", "] ") * n + "\n",
          10_000, 20_000, "unclosed anchors on one line (4.1 GB)"),
    Shape("brackets", lambda n: "[" * n + "\n", 100_000, 100_000,
          "`[` repeated (5 GB; MemoryError at 200,000)"),
    Shape("wikilink-pipes", lambda n: "[[a" + "|" * n + "]] [[b" + "#" * n + "]]\n",
          200_000, 800_000, "a wikilink of many `|`, one of many `#`", tested=False),
    Shape("comment-marks", lambda n: "%% " * n + "\n" + "x %%\n" * n, 100_000, 100_000,
          "many `%%` on one line and on many lines", tested=False),
    Shape("tag-opens", lambda n: "<a " * n + "\n" + "<a timestamp " * n + "\n", 50_000, 50_000,
          "`<a ` without `>`, plain and naming a timestamp"),
    Shape("bracketed-links", lambda n: "[[x](u) " * n + "\n", 20_000, 20_000,
          "`[[x](u)` repeated: unclosed `[[` before Markdown links"),
    Shape("mismatched-run", _mismatched_run, 20_000, 20_000,
          "anchors all off by one hour, one a line (a run of mismatches)"),
    Shape("mismatched-mixed", _mismatched_mixed, 10_000, 10_000,
          "agreeing and mismatched anchors, alternating"),
    Shape("bare-labels", lambda n: VIDEO + "[00:01:00] " * n + "\n", 20_000, 20_000,
          "bare `[00:01:00]` labels on one line of a video note"),
    Shape("missing-links", lambda n: "[[missing]] " * n + "\n", 20_000, 40_000,
          "links to a missing note, on one line"),
    Shape("fm-huge", _front_matter, 50_000, 80_000, "front matter of many keys", tested=False),
    Shape("fm-spaces", lambda n: "---\nk: a" + " " * n + "b\n- x" + " " * n + "y\n---\n",
          200_000, 800_000, "front-matter lines with long runs of spaces"),
    Shape("fm-alias-bomb", _alias_bomb, 1_000, 300_000,
          "nested YAML aliases (billion laughs) in front matter"),
    Shape("prose-line", lambda n: "I've added some words, here is: " * n + "\n", 30_000, 50_000,
          "one line of about 1 MB of prose"),
    Shape("editorial-spaces", _editorial_spaces, 100_000, 400_000,
          "an editorial line and a topic line with long runs of spaces"),
    Shape("heading-links", _heading_links, 10_000, 10_000,
          "headings and links to missing headings (19 s at 4,000)"),
    Shape("title-h1s", _title_h1s, 4_000, 20_000,
          "H1 headings that repeat the front-matter title after blank lines", tested=False),
    Shape("orphan-topics", _orphan_topics, 4_000, 10_000,
          "leaked topic lines each cut off by a heading", tested=False),
    Shape("fm-escaped-links", _escaped_links, 4_000, 10_000,
          "front-matter links written with escapes", tested=False),
    Shape("suppressed-regions", lambda n: SUPPRESSED * n, 30_000, 20_000,
          "disabled regions around links to a missing note, one a line"),
    Shape("think-opens", lambda n: VIDEO + "<think>\nx\n" * n, 20_000, 20_000,
          "reasoning blocks opened and never closed, one a line", tested=False),
    Shape("think-closes", lambda n: VIDEO + "</think>\nx\n" * n, 20_000, 20_000,
          "reasoning blocks closed and never opened", tested=False),
    Shape("changes-lists", lambda n: VIDEO + "Changes made:\n- x\n" * n, 10_000, 10_000,
          "the model's lists of its changes, one after another (quadratic: 7 s at 2,000)"),
    Shape("chat-lines", lambda n: VIDEO + "Sure! Here's the summary:\n" * n, 20_000, 20_000,
          "chat preamble lines, every line one", tested=False),
    Shape("fake-time-links",
          lambda n: VIDEO + "[00:01:00](#00:01:00) [00:02:00](https://youtu.be/00:00:38?t=1m) " * n,
          10_000, 10_000, "Markdown links posing as timestamps (TS009)", tested=False),
    Shape("normal-generated", _realistic, 256, 1024, "a realistic generated video note (n kB)",
          tested=False),
    Shape("normal-zettelkasten", _zettelkasten, 256, 1024, "a hand-written-style note (n kB)",
          tested=False),
)
# fmt: on
BY_NAME = {s.name: s for s in SHAPES}


def write_vault(root: Path, text: str) -> Path:
    """A vault holding one note `note.md` (and `.obsidian/`), configured as generated: every
    rule at its strictest, the worst case (a vault of one note bearing no generator signals
    would be detected as a person's)."""
    (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    (root / "vaultbot.toml").write_text('profile = "generated"\n')
    (root / "note.md").write_bytes(text.encode("utf-8"))
    return root


def vaultbot_command(command: str) -> list[str]:
    exe = Path(sys.executable).with_name("vaultbot")
    args = ["--no-cache", "--format", "concise"] if command == "check" else []
    return [str(exe), command, *args, "--exit-zero", "."]


@dataclass
class Run:
    seconds: float  # wall time
    cpu: float  # user + system time of the process: what the exponent is computed from
    rss_mb: float
    code: int


def measure(vault: Path, command: str, timeout: float = 600) -> Run:
    """One fresh vaultbot process on `vault`: wall and CPU time, peak RSS (from `os.wait4`)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        vaultbot_command(command), cwd=vault, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - start > timeout:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.005)
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(time.perf_counter() - start, cpu, usage.ru_maxrss / 1024, proc.returncode)


def exponent(small: float, large: float) -> float:
    if small <= 0 or large <= 0:
        return 0.0
    return math.log2(large / small)


def best_of(vault: Path, command: str, repeat: int, timeout: float) -> Run:
    """The run of least CPU time among `repeat` (fix: each on a fresh copy of `vault`)."""
    runs = []
    for _ in range(repeat):
        target = vault
        if command == "fix":  # fix writes: measure on a copy, keep the input for the next run
            target = vault.with_name(vault.name + "-fix")
            shutil.copytree(vault, target)
        runs.append(measure(target, command, timeout))
        if target != vault:
            shutil.rmtree(target)
    return min(runs, key=lambda r: r.cpu)


def bench(
    shape: Shape, command: str, n: int, base: Run, work: Path, repeat: int, timeout: float
) -> list[str]:
    runs: list[tuple[int, Run]] = []
    for size in (n, 2 * n, 4 * n):
        vault = write_vault(work / f"{shape.name}-{size}", shape.build(size))
        runs.append((size, best_of(vault, command, repeat, timeout)))
        shutil.rmtree(vault)
    cells = [f"{r.cpu:6.2f} s {r.rss_mb:6.0f} MB" for _, r in runs]
    # Cost above the baseline (floored at 5 ms / 1 MB so noise cannot blow up the ratio).
    t = [max(r.cpu - base.cpu, 0.005) for _, r in runs]
    m = [max(r.rss_mb - base.rss_mb, 1.0) for _, r in runs]
    t_exp = max(exponent(t[0], t[1]), exponent(t[1], t[2]))
    m_exp = max(exponent(m[0], m[1]), exponent(m[1], m[2]))
    bad = "" if max(t_exp, m_exp) <= 1.2 else "  <-- super-linear"
    if any(r.code not in (0, 1, 2) for _, r in runs):
        bad += "  <-- crashed or timed out"
    return [shape.name, command, f"{n:,}", *cells, f"{t_exp:5.2f}", f"{m_exp:5.2f}", bad]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", action="append", choices=sorted(BY_NAME), help="repeatable")
    parser.add_argument("--command", choices=("check", "fix"), action="append")
    parser.add_argument("--quick", action="store_true", help="sizes a quarter of the default")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the least CPU counts")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run")
    args = parser.parse_args(argv)
    shapes = [BY_NAME[name] for name in args.shape] if args.shape else list(SHAPES)
    commands = args.command or ["check", "fix"]
    header = ["shape", "command", "n", "CPU, RSS at n", "at 2n", "at 4n", "t exp", "m exp", ""]
    print(" | ".join(header))
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="vaultbot-scaling-") as tmp:
        work = Path(tmp)
        empty = write_vault(work / "empty", "")
        base = {c: best_of(empty, c, args.repeat, args.timeout) for c in commands}
        print(
            "baseline (empty note): "
            + ", ".join(f"{c} {r.cpu:.2f} s {r.rss_mb:.0f} MB" for c, r in base.items())
        )
        for shape in shapes:
            for command in commands:
                n = max(shape.bench_n // 4, 1) if args.quick else shape.bench_n
                row = bench(shape, command, n, base[command], work, args.repeat, args.timeout)
                worst = max(worst, float(row[6]), float(row[7]))
                print(" | ".join(row), flush=True)
    print(f"largest exponent: {worst:.2f} ({'ok' if worst <= 1.2 else 'super-linear'})")
    return 0 if worst <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
