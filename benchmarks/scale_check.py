"""How `vaultbot check --no-cache` grows with the vault: real-density generated vaults of
several sizes (default 2k, 10k, 40k, 80k notes), wall and CPU time, peak memory (the largest
process, and the process tree: summed RSS counts the pages the workers share with the parent
once per process, summed PSS shares them out), and the growth exponent between consecutive
sizes (1.0 = linear).

    python benchmarks/scale_check.py --sizes 2000 10000 40000 --out /some/dir

Vaults are generated into --out (kept, and reused when present) or a temporary folder.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_check
import generate_vault


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000, 40000, 80000])
    parser.add_argument("--profile", choices=sorted(generate_vault.PROFILES), default="real")
    parser.add_argument("--out", type=Path, help="keep the generated vaults here")
    parser.add_argument("--jobs", "-j", type=int, help="pass --jobs to vaultbot")
    args = parser.parse_args(argv)
    tool = bench_check.Tool(
        "vaultbot", bench_check.vaultbot_command(args.jobs), bench_check.parse_vaultbot
    )
    with tempfile.TemporaryDirectory(prefix="vaultbot-scale-") as tmp:
        base = args.out or Path(tmp)
        rows: list[tuple[int, float, float, int, int, int, int]] = []
        for size in args.sizes:
            vault = base / f"{args.profile}-{size}"
            if not vault.exists():
                generate_vault.generate(vault, size, profile=args.profile)
            corpus = bench_check.scan_corpus(f"{size}", vault)
            result = bench_check.run_tool(tool, corpus, 1, Path(tmp))
            if result.problem:
                print(f"PROBLEM at {size}: {result.problem}")
                return 1
            rss = result.tree_rss_kib or result.max_rss_kib
            pss = result.tree_pss_kib or rss
            findings = result.parsed.findings if result.parsed else 0
            rows.append(
                (corpus.notes, result.wall, result.cpu, result.max_rss_kib, rss, pss, findings)
            )
            print(f"{corpus.notes} notes: {result.wall:.1f} s", flush=True)
    print(
        "\n| notes | findings | wall s | cpu s | largest process MB | tree RSS MB | tree PSS MB "
        "| wall exponent | cpu exponent |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    previous = None
    for notes, wall, cpu, largest, rss, pss, findings in rows:
        grow = ("", "")
        if previous is not None:
            scale = math.log(notes / previous[0])
            grow = (
                f"{math.log(wall / previous[1]) / scale:.2f}",
                f"{math.log(cpu / previous[2]) / scale:.2f}",
            )
        print(
            f"| {notes} | {findings} | {wall:.1f} | {cpu:.1f} | {largest / 1024:.0f} | "
            f"{rss / 1024:.0f} | {pss / 1024:.0f} | {grow[0]} | {grow[1]} |"
        )
        previous = (notes, wall, cpu)
    return 0


if __name__ == "__main__":
    sys.exit(main())
