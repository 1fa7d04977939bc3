"""Benchmark `vaultbot check` against `rumdl check` on a real and a generated vault.

Corpora:
  * zettelkasten: the hand-written vault at ../shared/corpora/zettelkasten/vault (from the repository
    root; override with --zettelkasten);
  * tubegraph: the LLM-generated vault at ../shared/corpora/tubegraph-dwarkesh/vault (--tubegraph);
  * generated: a vault written by generate_vault.py (`--profile real`: 20,000 notes with the
    densities of the public LLM-generated vault; `rich`: 4,000 documentation notes with rich front
    matter; `personal`: 13,000 notes of a person's vault, in folders with folder notes, daily
    notes and 20,000 attachments) into a temporary folder (or an existing / kept one with
    --generated).

Issue 13's targets are checked at the end (TARGETS): vaultbot's wall time against rumdl as a user
runs it (at most 0.5x on LLM-generated vaults, 1x on human ones), the memory of the process tree,
the cached reruns, the hook, and the physical floor (`floor.py`: read every note and run one regex,
one process; vaultbot within 5x of it).

Each command runs as a subprocess of a small wrapper Python process, which times it (wall clock)
and records its memory: the largest RSS of any single process of the tree (getrusage
RUSAGE_CHILDREN ru_maxrss, exact) and the peak of the summed RSS and PSS of the whole process tree
(sampled from /proc every 20 ms; Linux only). vaultbot forks a worker pool, so the tree matters;
summed RSS counts pages shared after fork once per process and is an upper bound, summed PSS
shares them out and is the best estimate of the memory the run really used.

Like with like: rumdl runs twice. "rumdl (as a user runs it)" is `rumdl check --flavor obsidian`
with its full default rule set; "rumdl (comparable rules)" leaves out the style rules that have
no counterpart in vaultbot and dominate its work on these vaults (RUMDL_STYLE_ONLY: MD033 inline
HTML fires once per timestamp anchor, MD013 line length, MD030 list marker spacing). The
vaultbot/rumdl ratios and the "faster than rumdl" target are given against both, named.
The hook is timed on a note edited before each run (a cache hit on an unedited note runs no
rule); every edited note is restored after each run, so a kept `--generated` vault does not
drift from one invocation to the next.

Standard library only. Run from anywhere:

    python benchmarks/bench_check.py            # full run (about a few minutes)
    python benchmarks/bench_check.py --quick    # 2,000 generated notes, one repeat
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import floor  # noqa: E402
import generate_vault  # noqa: E402

MIB = 2**20
#: Issue 13: vaultbot's wall time as a multiple of rumdl's (as a user runs it), by kind of vault.
TARGET_RUMDL_RATIO = {
    "generated": 0.5, "tubegraph": 0.5, "zettelkasten": 1.0, "rich": 1.0, "personal": 1.0,
}  # fmt: skip
TARGET_TREE_MIB = 300.0  # the generated (real) vault, the whole process tree
TARGET_FLOOR_RATIO = 5.0
#: Wall-time limits, in seconds, of the cache and hook runs on the generated vault.
TARGET_SECONDS = {
    "vaultbot, cache, no change": 1.0,
    "vaultbot, cache, 1 note edited": 1.5,
    "hook on 1 edited note": 0.3,
}

# The measuring wrapper: runs argv[4:] with stdout/stderr to the files argv[1], argv[2], samples
# the process tree every argv[3] seconds and prints one JSON object.
WRAPPER = r"""
import json, os, resource, subprocess, sys, threading, time

out_path, err_path, interval, cmd = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:]
HAVE_PROC = os.path.isdir("/proc/self/task")


def children(pid):
    found = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                found.extend(int(c) for c in fh.read().split())
    except OSError:
        pass
    return found


def tree(root):
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children(pid))
    return pids


def memory(pid):
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


peak = {"rss": 0, "pss": 0, "procs": 0}
stop = threading.Event()


def sample(root):
    while not stop.is_set():
        pids = tree(root)
        total_rss = total_pss = 0
        for pid in pids:
            rss, pss = memory(pid)
            total_rss += rss
            total_pss += pss
        peak["rss"] = max(peak["rss"], total_rss)
        peak["pss"] = max(peak["pss"], total_pss)
        peak["procs"] = max(peak["procs"], len(pids))
        stop.wait(interval)


with open(out_path, "wb") as out, open(err_path, "wb") as err:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=err)
    sampler = threading.Thread(target=sample, args=(proc.pid,), daemon=True)
    if HAVE_PROC:
        sampler.start()
    rc = proc.wait()
    wall = time.perf_counter() - start
    stop.set()
    if HAVE_PROC:
        sampler.join()

usage = resource.getrusage(resource.RUSAGE_CHILDREN)
maxrss = usage.ru_maxrss
if sys.platform == "darwin":
    maxrss //= 1024
print(json.dumps({
    "rc": rc,
    "wall": wall,
    "cpu": usage.ru_utime + usage.ru_stime,
    "max_rss_kib": maxrss,
    "tree_rss_kib": peak["rss"] if HAVE_PROC else None,
    "tree_pss_kib": peak["pss"] if HAVE_PROC else None,
    "procs": peak["procs"] if HAVE_PROC else None,
}))
"""


@dataclass
class Corpus:
    name: str
    path: Path
    notes: int
    md_bytes: int
    injected: dict[str, int] | None = None


@dataclass
class Parsed:
    findings: int
    files_flagged: int
    detail: str = ""


@dataclass
class Tool:
    name: str
    command: Callable[[Path], list[str]]
    parse: Callable[[bytes], Parsed]
    #: run before each timed run; returns what undoes it, called after the run
    prepare: Callable[[Path], Callable[[], None]] | None = None
    warm_up: bool = False  # one untimed run first (to fill the cache)


@dataclass
class Result:
    tool: str
    corpus: Corpus
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    max_rss_kib: int = 0
    tree_rss_kib: int | None = None
    tree_pss_kib: int | None = None
    procs: int | None = None
    parsed: Parsed | None = None
    problem: str = ""

    @property
    def wall(self) -> float:
        return min(self.walls)

    @property
    def cpu(self) -> float:
        return min(self.cpus)


def scan_corpus(name: str, path: Path, injected: dict[str, int] | None = None) -> Corpus:
    """Count the Markdown notes (skipping dot folders) and their bytes; reading warms the cache."""
    notes = size = 0
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name_ in files:
            if name_.lower().endswith(".md"):
                with open(os.path.join(folder, name_), "rb") as fh:
                    size += len(fh.read())
                notes += 1
    return Corpus(name, path, notes, size, injected)


def compile_bytecode() -> None:
    """Compile vaultbot's modules to bytecode, as `pip install` does: an editable install under
    PYTHONDONTWRITEBYTECODE would otherwise compile them from source on every run (about
    0.05 s of each run's start-up that no installed vaultbot pays)."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("vaultbot")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            compileall.compile_dir(folder, quiet=1)


def vaultbot_base() -> list[str]:
    """The console script beside this Python, else the same entry point through `python -c`."""
    script = Path(sys.executable).parent / ("vaultbot.exe" if os.name == "nt" else "vaultbot")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from vaultbot.cli import main; raise SystemExit(main())"]


def vaultbot_command(jobs: int | None, cache: bool = False) -> Callable[[Path], list[str]]:
    base = vaultbot_base()
    extra = ["--jobs", str(jobs)] if jobs else []
    if not cache:
        extra.append("--no-cache")

    def command(vault: Path) -> list[str]:
        return [*base, "check", "--format", "json", "--exit-zero", *extra, str(vault)]

    return command


#: Which note (in name order) the cache run and the hook edit.
EDITED_NOTE, HOOK_NOTE = 3, 7


def nth_note(vault: Path, n: int) -> Path:
    notes = (p for p in vault.rglob("*.md") if not p.relative_to(vault).as_posix().startswith("."))
    return sorted(notes)[n]  # the personal profile keeps its notes in folders


def hook_command(vault: Path) -> list[str]:
    """What the pre-commit hook runs for one staged note (entry of .pre-commit-hooks.yaml)."""
    note = nth_note(vault, HOOK_NOTE)
    return [*vaultbot_base(), "check", "--format", "concise", "--exit-zero", str(note)]


def parse_lines(out: bytes) -> Parsed:
    lines = out.decode(errors="replace").splitlines()
    return Parsed(max(len(lines) - 1, 0), 1 if len(lines) > 1 else 0)


def editor(n: int) -> Callable[[Path], Callable[[], None]]:
    """Edit note `n` as a user would (a new line at its end); the returned function restores
    its bytes and times."""

    def edit(vault: Path) -> Callable[[], None]:
        note = nth_note(vault, n)
        data, info = note.read_bytes(), note.stat()
        with note.open("a", encoding="utf-8") as handle:
            handle.write("\nAn edit made between two runs.\n")

        def restore() -> None:
            note.write_bytes(data)
            os.utime(note, ns=(info.st_atime_ns, info.st_mtime_ns))

        return restore

    return edit


def parse_vaultbot(out: bytes) -> Parsed:
    data = json.loads(out)
    summary = data["summary"]
    by_rule = ", ".join(f"{k} {v}" for k, v in sorted(summary.get("by_rule", {}).items()))
    errors = summary.get("errors") or []
    detail = f"notes_checked {summary.get('notes_checked')}; {by_rule}"
    if errors:
        detail += f"; {len(errors)} errors, first: {errors[0]}"
    files = len({f["path"] for f in data["findings"]})
    return Parsed(int(summary["findings"]), files, detail)


def find_rumdl(given: str | None) -> str | None:
    if given:
        return given
    beside = Path(sys.executable).parent / "rumdl"
    return str(beside) if beside.exists() else shutil.which("rumdl")


#: rumdl rules of a scope vaultbot does not have: presentation, not breakage.
RUMDL_STYLE_ONLY = ("MD013", "MD030", "MD033")
RUMDL_AS_RUN, RUMDL_COMPARABLE = "rumdl (as a user runs it)", "rumdl (comparable rules)"


def rumdl_command(rumdl: str, disable: tuple[str, ...] = ()) -> Callable[[Path], list[str]]:
    options = ["--disable", ",".join(disable)] if disable else []

    def command(vault: Path) -> list[str]:
        return [
            rumdl,
            "check",
            "--no-cache",
            "--no-config",
            "--flavor",
            "obsidian",
            *options,
            "--output-format",
            "json",
            "--fail-on",
            "never",
            str(vault),
        ]

    return command


def parse_rumdl(out: bytes) -> Parsed:
    warnings = json.loads(out)
    rules: dict[str, int] = {}
    for w in warnings:
        rules[w["rule"]] = rules.get(w["rule"], 0) + 1
    top = sorted(rules.items(), key=lambda kv: -kv[1])[:5]
    detail = "top rules: " + ", ".join(f"{k} {v}" for k, v in top)
    return Parsed(len(warnings), len({w["file"] for w in warnings}), detail)


def measure(cmd: list[str], workdir: Path) -> tuple[dict[str, float | int | None], bytes, bytes]:
    out, err = workdir / "stdout", workdir / "stderr"
    wrapper = [sys.executable, "-c", WRAPPER, str(out), str(err), "0.02", *cmd]
    done = subprocess.run(wrapper, capture_output=True, check=True, cwd=workdir)
    return json.loads(done.stdout), out.read_bytes(), err.read_bytes()


def run_tool(tool: Tool, corpus: Corpus, repeat: int, workdir: Path) -> Result:
    result = Result(tool.name, corpus)
    cmd = tool.command(corpus.path)
    if tool.warm_up:
        measure(cmd, workdir)
    for _ in range(repeat):
        undo = tool.prepare(corpus.path) if tool.prepare is not None else None
        try:
            stats, out, err = measure(cmd, workdir)
        finally:
            if undo is not None:
                undo()
        result.walls.append(float(stats["wall"] or 0))
        result.cpus.append(float(stats["cpu"] or 0))
        result.max_rss_kib = max(result.max_rss_kib, int(stats["max_rss_kib"] or 0))
        for key in ("tree_rss_kib", "tree_pss_kib", "procs"):
            value = stats[key]
            if value is not None:
                setattr(result, key, max(int(value), getattr(result, key) or 0))
        if stats["rc"] != 0:
            result.problem = f"exit code {stats['rc']}: {err.decode(errors='replace')[:500]}"
        elif err.strip():
            result.problem = f"stderr: {err.decode(errors='replace')[:500]}"
        try:
            result.parsed = tool.parse(out)
        except (ValueError, KeyError, TypeError) as exc:
            result.problem += f" cannot parse output ({exc}): {out[:200]!r}"
    return result


def fmt_mib(kib: int | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.0f}"


def print_table(results: list[Result]) -> None:
    header = (
        "tool",
        "corpus",
        "notes",
        "MB",
        "wall s",
        "cpu s",
        "notes/s",
        "MB/s",
        "peak RSS MB",
        "tree RSS MB",
        "tree PSS MB",
        "procs",
        "findings",
        "files flagged",
    )
    rows = [header]
    for r in results:
        mb = r.corpus.md_bytes / MIB
        rows.append(
            (
                r.tool,
                r.corpus.name,
                str(r.corpus.notes),
                f"{mb:.1f}",
                f"{r.wall:.2f}",
                f"{r.cpu:.2f}",
                f"{r.corpus.notes / r.wall:.0f}",
                f"{mb / r.wall:.1f}",
                fmt_mib(r.max_rss_kib),
                fmt_mib(r.tree_rss_kib),
                fmt_mib(r.tree_pss_kib),
                "-" if r.procs is None else str(r.procs),
                "-" if r.parsed is None else str(r.parsed.findings),
                "-" if r.parsed is None else str(r.parsed.files_flagged),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for n, row in enumerate(rows):
        cells = [
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def tool_version(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except OSError:
        return "?"
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "?"


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def print_targets(results: list[Result], floors: dict[str, float], profile: str) -> None:
    """Issue 13's targets, each with its figure and whether it is met."""
    by = {(r.tool, r.corpus.name): r for r in results}
    print()
    for corpus, seconds in floors.items():
        vb = by.get(("vaultbot", corpus))
        if vb is None:
            continue
        kind = profile if corpus == "generated" and profile in ("rich", "personal") else corpus
        ratio = vb.wall / seconds
        print(
            f"target ({corpus}): within {TARGET_FLOOR_RATIO:.0f}x of the floor ({seconds:.2f} s): "
            f"{ratio:.1f}x wall, {vb.cpu / seconds:.1f}x CPU {verdict(ratio <= TARGET_FLOOR_RATIO)}"
        )
        rumdl = by.get((RUMDL_AS_RUN, corpus))
        if rumdl is not None:
            limit, ratio = TARGET_RUMDL_RATIO[kind], vb.wall / rumdl.wall
            print(
                f"target ({corpus}): at most {limit}x {RUMDL_AS_RUN}'s wall time: {ratio:.2f}x "
                f"({vb.wall:.2f} s vs {rumdl.wall:.2f} s; CPU {vb.cpu / rumdl.cpu:.2f}x) "
                f"{verdict(ratio <= limit)}"
            )
    generated = by.get(("vaultbot", "generated"))
    if generated is not None and generated.tree_pss_kib is not None:
        rss, pss = (generated.tree_rss_kib or 0) / 1024, generated.tree_pss_kib / 1024
        print(
            f"target (generated): process tree under {TARGET_TREE_MIB:.0f} MB: summed RSS "
            f"{rss:.0f} MB, summed PSS {pss:.0f} MB {verdict(rss < TARGET_TREE_MIB)}"
        )
    for name, limit in TARGET_SECONDS.items():
        r = by.get((name, "generated"))
        if r is not None:
            print(
                f"target ({name}): under {limit} s: {r.wall:.2f} s wall, {r.cpu:.2f} s CPU "
                f"{verdict(r.wall < limit)}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--zettelkasten",
        type=Path,
        default=REPO.parent / "shared" / "corpora" / "zettelkasten" / "vault",
        help="the zettelkasten vault (default: ../shared/corpora/zettelkasten/vault)",
    )
    parser.add_argument(
        "--tubegraph",
        type=Path,
        default=REPO.parent / "shared" / "corpora" / "tubegraph-dwarkesh" / "vault",
        help="an LLM-generated vault (default: ../shared/corpora/tubegraph-dwarkesh/vault)",
    )
    parser.add_argument(
        "--generated",
        type=Path,
        help="generated vault to reuse; generated (and kept) there if the folder does not exist "
        "(default: generate into a temporary folder, deleted afterwards)",
    )
    parser.add_argument("--notes", type=int, help="generated notes (default 20000; 2000 quick)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument(
        "--profile",
        choices=sorted(generate_vault.PROFILES),
        default="real",
        help="shape of the generated notes (default real; rich: 4,000 docs notes; personal: "
        "a person's 13,000 notes in folders, with 20,000 attachments)",
    )
    parser.add_argument("--repeat", type=int, help="runs per command, best wall kept (default 3)")
    parser.add_argument("--quick", action="store_true", help="2,000 notes, one repeat (smoke test)")
    parser.add_argument("--jobs", "-j", type=int, help="pass --jobs to vaultbot")
    parser.add_argument("--rumdl", help="rumdl executable (default: beside python, else PATH)")
    parser.add_argument("--no-rumdl", action="store_true", help="measure vaultbot only")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    compile_bytecode()
    n_notes = args.notes or (2000 if args.quick else generate_vault.PROFILES[args.profile].notes)

    vaultbot = Tool("vaultbot", vaultbot_command(args.jobs), parse_vaultbot)
    tools = [vaultbot]
    rumdl = None if args.no_rumdl else find_rumdl(args.rumdl)
    if rumdl:
        tools.append(Tool(RUMDL_AS_RUN, rumdl_command(rumdl), parse_rumdl))
        tools.append(Tool(RUMDL_COMPARABLE, rumdl_command(rumdl, RUMDL_STYLE_ONLY), parse_rumdl))
    elif not args.no_rumdl:
        print("rumdl not found: measuring vaultbot only (pip install rumdl)", file=sys.stderr)

    print(
        f"python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores; {tool_version([*vaultbot_base(), '--version'])}"
        + (f"; {tool_version([rumdl, '--version'])}" if rumdl else "")
        + f"; repeat {repeat} (best wall kept)"
    )

    load_start = load_average()
    if load_start is not None and load_start >= 0.5:
        print(
            f"warning: load average {load_start:.2f} before starting: other processes compete "
            "for the CPU and wall times will be too high (cpu s is less affected)"
        )
    with tempfile.TemporaryDirectory(prefix="vaultbot-bench-") as tmp:
        workdir = Path(tmp)
        corpora: list[Corpus] = []
        for name, path in (("zettelkasten", args.zettelkasten), ("tubegraph", args.tubegraph)):
            if path.is_dir():
                corpora.append(scan_corpus(name, path.resolve()))
            else:
                print(f"{name} corpus not found at {path}: skipped", file=sys.stderr)

        generated = args.generated
        injected: dict[str, int] | None = None
        if generated is None or not generated.exists() or not any(generated.iterdir()):
            generated = generated or workdir / "generated-vault"
            start = time.perf_counter()
            stats = generate_vault.generate(generated, n_notes, args.seed, profile=args.profile)
            print(
                f"generated {stats.notes} notes + {stats.channel_notes} channel notes "
                f"({stats.md_bytes / MIB:.1f} MB) in {time.perf_counter() - start:.1f} s"
            )
            injected = stats.defects
        corpora.append(scan_corpus("generated", generated.resolve(), injected))

        results: list[Result] = []
        for corpus in corpora:
            for tool in tools:
                print(f"running {tool.name} on {corpus.name} x{repeat} ...", flush=True)
                results.append(run_tool(tool, corpus, repeat, workdir))
        # The cache and the pre-commit hook, on the generated vault (writable: a temp copy).
        gen = corpora[-1]
        cached = vaultbot_command(args.jobs, cache=True)
        for tool in (
            Tool("vaultbot, cache, no change", cached, parse_vaultbot, warm_up=True),
            Tool(
                "vaultbot, cache, 1 note edited", cached, parse_vaultbot, editor(EDITED_NOTE), True
            ),
            Tool("hook on 1 edited note", hook_command, parse_lines, editor(HOOK_NOTE), True),
        ):
            print(f"running {tool.name} on {gen.name} x{repeat} ...", flush=True)
            results.append(run_tool(tool, gen, repeat, workdir))

    print()
    print_table(results)
    load_end = load_average()
    if load_start is not None and load_end is not None:
        print(f"load average (1 min): {load_start:.2f} at start, {load_end:.2f} at end")
    print()
    print(f"{RUMDL_AS_RUN}: every default rule; {RUMDL_COMPARABLE}: without "
          f"{', '.join(RUMDL_STYLE_ONLY)} (style rules vaultbot has no counterpart for)")  # fmt: skip
    for corpus in corpora:
        walls = {r.tool: r.wall for r in results if r.corpus is corpus}
        for name in (RUMDL_AS_RUN, RUMDL_COMPARABLE):
            if "vaultbot" in walls and name in walls:
                ratio = walls["vaultbot"] / walls[name]
                print(f"vaultbot / {name} wall time on {corpus.name}: {ratio:.2f}x")
    for r in results:
        if r.parsed and r.parsed.detail:
            print(f"{r.tool} on {r.corpus.name}: {r.parsed.detail}")
        if r.problem:
            print(f"PROBLEM {r.tool} on {r.corpus.name}: {r.problem}")
    for corpus in corpora:
        if corpus.injected:
            text = ", ".join(f"{k} {v}" for k, v in corpus.injected.items())
            print(f"injected into {corpus.name}: {text}")

    floors = {c.name: min(floor.floor(c.path)[0] for _ in range(repeat)) for c in corpora}
    print_targets(results, floors, args.profile)
    return 1 if any(r.problem for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
