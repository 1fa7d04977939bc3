"""A baseline: the findings a vault has accepted, so that only new ones are reported.

`vaultbot check --baseline FILE --write-baseline` records every finding; `vaultbot check
--baseline FILE` then drops the findings recorded there. A finding is keyed by its note, its
rule code and a hash of its message and the text it points at, never by its line: editing
above a finding moves it without making it new. Identical findings in one note are counted.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from vaultbot.engine import SOURCE_CONTEXT, Report, Result
from vaultbot.errors import ConfigError
from vaultbot.output.safe import json_escaped

VERSION = 1
Key = tuple[str, str, str]  # path, code, hash


#: Characters of the pointed-at text a key holds: every window a finding keeps of its line
#: (engine.source_window) holds at least this many from the finding's start, wherever it is.
SPAN_KEPT = SOURCE_CONTEXT


def span_text(result: Result) -> str:
    """The text the finding points at on its first line (to the line's end when it spans
    several lines), its first SPAN_KEPT characters: the same wherever the finding moves."""
    start = result.column - 1 - result.source_start
    if result.end_line == result.line:
        end = result.end_column - 1 - result.source_start
    else:
        end = len(result.source)
    return result.source[start : min(end, start + SPAN_KEPT)]


def key(result: Result) -> Key:
    """(note, code, hash): a message naming a file whose name is not UTF-8 is hashed with that
    name's bytes (UTF-8 text hashes as before)."""
    text = f"{result.message}\0{span_text(result)}"
    digest = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
    return result.path, result.code, digest[:16]


def write(report: Report, path: Path) -> int:
    """Record every finding of `report` in `path`; return how many."""
    report.load_sources()  # the hash covers the finding's text
    counts = Counter(key(r) for r in report.results)
    entries = [
        {"path": p, "code": c, "hash": h, "count": n} for (p, c, h), n in sorted(counts.items())
    ]
    text = json.dumps({"version": VERSION, "findings": entries}, indent=1, ensure_ascii=False)
    text = json_escaped(text)  # a name that is not UTF-8 as `\\udcXX`: read back as it was
    path.write_text(text + "\n", encoding="utf-8")
    return sum(counts.values())


def load(path: Path) -> Counter[Key]:
    """The accepted findings of a baseline file; raise ConfigError when it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such baseline file (create it with --write-baseline)"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read baseline ({exc.strerror or exc})") from None
    try:
        data = json.loads(text)
        if data.get("version") != VERSION:
            raise ValueError(f"version {data.get('version')!r}, expected {VERSION}")
        return Counter(
            {(e["path"], e["code"], e["hash"]): int(e["count"]) for e in data["findings"]}
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{path}: not a vaultbot baseline ({exc})") from None


def apply(report: Report, accepted: Counter[Key]) -> int:
    """Drop from `report` the findings the baseline accepts; return how many were dropped."""
    report.load_sources()
    left = Counter(accepted)
    dropped = 0
    for note in report.notes:
        kept = []
        for result in note.results:
            k = key(result)
            if left[k] > 0:
                left[k] -= 1
                dropped += 1
            else:
                kept.append(result)
        note.results = kept
    return dropped
