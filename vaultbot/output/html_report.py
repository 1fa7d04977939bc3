"""A self-contained HTML report of a clean run: no scripts, no fonts, no network fetches."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter

from vaultbot import __version__
from vaultbot.engine import Report, Result
from vaultbot.output import summary
from vaultbot.output.safe import undecoded_shown

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
h1{margin-bottom:.2rem} .muted{color:#666} table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums} code{font-size:90%}
.bar{fill:#6a4c93} .fixed{fill:#3a9d5d} svg text{font:12px system-ui,sans-serif;fill:#222}
details{margin:.3rem 0} summary{cursor:pointer} .kpi{display:inline-block;margin-right:2rem}
.kpi b{display:block;font-size:1.8rem} .legend svg{vertical-align:middle}
pre{margin:.2rem 0;white-space:pre-wrap;word-break:break-word;font-size:85%}
mark{background:#ffe08a} .before{color:#a12} .after{color:#172}
"""


def _e(value: object) -> str:
    # a byte of a name that is not UTF-8 as `\\xNN`: the page is UTF-8
    return html.escape(undecoded_shown(str(value)), quote=True)


def _legend(verb: str) -> str:
    swatch = '<svg width="12" height="12" aria-hidden="true"><rect class="{0}" width="12" height="12"/></svg>'
    return (
        f'<p class="legend">{swatch.format("bar")} found &nbsp; '
        f"{swatch.format('fixed')} {_e(verb)} (drawn over found)</p>"
    )


def _bar_chart(found: Counter[str], fixed: Counter[str], names: dict[str, str]) -> str:
    codes = sorted(found, key=lambda c: (-found[c], c))
    if not codes:
        return "<p>No findings.</p>"
    top = max(found.values())
    row, label_w, width = 26, 230, 420
    parts = [
        f'<svg role="img" aria-label="Findings per rule" width="{label_w + width + 80}" '
        f'height="{row * len(codes) + 10}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, code in enumerate(codes):
        y = i * row + 5
        w = max(1, round(width * found[code] / top))
        fw = round(width * fixed[code] / top)
        parts.append(f'<text x="0" y="{y + 15}">{_e(code)} {_e(names.get(code, ""))}</text>')
        parts.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{w}" height="18"/>')
        if fw:
            parts.append(f'<rect class="fixed" x="{label_w}" y="{y}" width="{fw}" height="18"/>')
        parts.append(
            f'<text x="{label_w + w + 6}" y="{y + 15}" data-code="{_e(code)}">{found[code]}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


#: Characters of context shown on each side of a finding in its snippet.
SNIPPET_CONTEXT = 40
MISSING_SHOWN = 20


def _window(
    line: str, start: int, end: int, cut_left: bool = False, cut_right: bool = False
) -> tuple[str, str, str]:
    """(before, span, after) of `line` around columns start..end (0-based), cut with `…`;
    `line` may be a window of a longer line (`cut_left`/`cut_right`: it goes on that side)."""
    end = max(end, start)
    before = line[max(0, start - SNIPPET_CONTEXT) : start]
    after = line[end : end + SNIPPET_CONTEXT]
    lead = "…" if start > SNIPPET_CONTEXT or cut_left else ""
    tail = "…" if end + SNIPPET_CONTEXT < len(line) or cut_right else ""
    return lead + before, line[start:end], after + tail


def _snippet(r: Result) -> str:
    """The finding's text with a little context, the finding itself marked."""
    start = r.column - 1 - r.source_start  # columns within the window the result keeps
    end = r.end_column - 1 - r.source_start if r.end_line == r.line else len(r.source)
    before, span, after = _window(r.source, start, end, r.source_start > 0, r.source_cut)
    if not (before or span or after):
        return ""
    return f"<pre class='snippet'>{_e(before)}<mark>{_e(span)}</mark>{_e(after)}</pre>"


def _before_after(r: Result, applied: str) -> str:
    """The fix as before → after on the finding's line, when it was applied (or would be)
    and its edits stay within the window of that line the result keeps."""
    if not applied or not r.fix:
        return ""
    edits = r.fix["edits"]
    # Columns within the window (0-based), each edit's (start, end, content).
    spans = [
        (
            e["location"]["column"] - 1 - r.source_start,
            e["end_location"]["column"] - 1 - r.source_start,
            e["content"],
        )
        for e in edits
        if e["location"]["line"] == r.line and e["end_location"]["line"] == r.line
    ]
    if not spans or len(spans) < len(edits) or any(a < 0 or b > len(r.source) for a, b, _ in spans):
        return ""
    start = min(a for a, _, _ in spans)
    end = max(b for _, b, _ in spans)
    after = r.source
    for a, b, content in sorted(spans, key=lambda s: s[0], reverse=True):
        after = after[:a] + content + after[b:]
    grown = len(after) - len(r.source)
    cuts = r.source_start > 0, r.source_cut
    old = "".join(_window(r.source, start, end, *cuts))
    new = "".join(_window(after, start, end + grown, *cuts))
    return f"<pre class='before'>- {_e(old)}</pre><pre class='after'>+ {_e(new)}</pre>"


def render(report: Report, title: str, dry_run: bool) -> str:
    found: Counter[str] = Counter()
    fixed: Counter[str] = Counter()
    left: Counter[str] = Counter()
    names: dict[str, str] = {}
    for note in report.notes:
        for r in note.initial:
            found[r.code] += 1
            names[r.code] = r.rule
        fixed.update(note.fixed)
        for r in note.results:
            left[r.code] += 1
            names[r.code] = r.rule
    verb = "would fix" if dry_run else "fixed"
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>vaultbot report: {_e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>vaultbot report</h1><p class='muted'>{_e(title)} · vaultbot {__version__} · "
        f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')}"
        f"{' · dry run: nothing was written' if dry_run else ''}</p>",
        '<p id="totals">'
        f'<span class="kpi"><b id="notes-count">{report.checked}</b>notes</span>'
        f'<span class="kpi"><b id="found-count">{sum(found.values())}</b>found</span>'
        f'<span class="kpi"><b id="fixed-count">{sum(fixed.values())}</b>{verb}</span>'
        f'<span class="kpi"><b id="left-count">{sum(left.values())}</b>left</span></p>',
    ]
    if report.interrupted:
        out.append(f"<p><b>Interrupted</b> after {report.checked} of {report.planned} notes.</p>")
    out += ["<h2>Findings per rule</h2>", _legend(verb), _bar_chart(found, fixed, names)]
    out += ['<table id="per-rule"><tr><th>rule</th><th>name</th><th class="n">found</th>'
            f'<th class="n">{verb}</th><th class="n">left</th></tr>']  # fmt: skip
    for code in sorted(found | left):
        out.append(
            f"<tr><td>{_e(code)}</td><td>{_e(names.get(code, ''))}</td>"
            f'<td class="n">{found[code]}</td><td class="n">{fixed[code]}</td>'
            f'<td class="n">{left[code]}</td></tr>'
        )
    out.append("</table>")
    missing = summary.missing_targets(r for note in report.notes for r in note.initial)
    if missing:
        out += ["<h2>Most-linked missing targets</h2>",
                '<table id="missing"><tr><th>target</th><th class="n">links</th>'
                "<th>linked from</th></tr>"]  # fmt: skip
        for entry in missing[:MISSING_SHOWN]:
            notes = ", ".join(f"<code>{_e(path)}</code>" for path in entry.notes)
            out.append(
                f'<tr><td>{_e(entry.target)}</td><td class="n">{entry.links}</td>'
                f"<td>{notes}</td></tr>"
            )
        out.append("</table>")
    worst = sorted((n for n in report.notes if n.initial), key=lambda n: (-len(n.initial), n.rel))
    out += ["<h2>Notes with most problems</h2>",
            '<table id="worst"><tr><th>note</th><th class="n">found</th>'
            f'<th class="n">{verb}</th><th class="n">left</th></tr>']  # fmt: skip
    for note in worst[:20]:
        out.append(
            f"<tr><td>{_e(note.initial[0].path)}</td><td class='n'>{len(note.initial)}</td>"
            f"<td class='n'>{sum(note.fixed.values())}</td>"
            f"<td class='n'>{len(note.results)}</td></tr>"
        )
    out.append("</table><h2>All findings</h2>")
    for note in worst:
        applied = {(code, line): title for code, line, title in note.applied}
        out.append(
            f"<details><summary>{_e(note.initial[0].path)} ({len(note.initial)})</summary>"
            '<table class="findings"><tr><th class="n">line</th><th>rule</th><th>message</th>'
            f"<th>{'fix that would apply' if dry_run else 'fix applied'}</th></tr>"
        )
        for r in note.initial:
            # `applied` knows rule and line only: a finding with no fix of its own had none.
            fix = applied.get((r.code, r.line), "") if r.fix else ""
            out.append(
                f"<tr><td class='n'>{r.line}</td><td>{_e(r.code)}</td>"
                f"<td>{_e(r.message)}{_snippet(r)}</td><td>{_e(fix)}{_before_after(r, fix)}</td></tr>"
            )
        out.append("</table></details>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
