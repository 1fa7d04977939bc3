"""The physical floor of checking a vault: read every note and run one regex over it, in one
process. vaultbot's wall time is reported as a multiple of this (issue 13 aims within 5x).

    python benchmarks/floor.py VAULT [VAULT ...]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

#: One pattern a rule would run: wikilinks and timestamp anchors.
PATTERN = re.compile(r"\[\[[^\]\n]*\]\]|<a class=\"yt-timestamp\"[^>]*>")


def notes(root: Path) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [os.path.join(folder, f) for f in files if f.endswith(".md")]
    return found


def floor(root: Path) -> tuple[float, int, int]:
    """(seconds, notes, matches): walk, read and decode every note, one regex over each."""
    start = time.perf_counter()
    paths = notes(root)
    matches = 0
    for path in paths:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", errors="replace")
        matches += sum(1 for _ in PATTERN.finditer(text))
    return time.perf_counter() - start, len(paths), matches


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vaults", type=Path, nargs="+")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args(argv)
    for vault in args.vaults:
        best = min(floor(vault) for _ in range(args.repeat))
        print(f"floor {vault}: {best[0]:.2f} s ({best[1]} notes, {best[2]} matches)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
