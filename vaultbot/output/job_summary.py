"""A Markdown job summary for `$GITHUB_STEP_SUMMARY`: the full counts, since GitHub shows at
most 10 annotations of each level per step."""

from __future__ import annotations

from collections import Counter

from vaultbot.engine import Report
from vaultbot.output.safe import markdown_cell

FIRST = 20


def render(report: Report) -> str:
    results = report.results
    lines = ["## vaultbot", ""]
    if not results:
        lines.append(f"No findings in {report.checked} checked notes.")
        return "\n".join(lines) + "\n"
    by_rule = Counter((r.code, r.rule, r.severity) for r in results)
    lines += [
        f"**{len(results)} findings** in {len({r.path for r in results})} of "
        f"{report.checked} checked notes.",
        "",
        "| rule | name | severity | findings |",
        "| --- | --- | --- | ---: |",
    ]
    lines += [f"| {c} | {n} | {s} | {k} |" for (c, n, s), k in sorted(by_rule.items())]
    lines += ["", f"### First {min(FIRST, len(results))} findings", ""]
    lines += ["| note | line | rule | message |", "| --- | ---: | --- | --- |"]
    lines += [
        f"| {markdown_cell(r.path)} | {r.line} | {r.code} | {markdown_cell(r.message)} |"
        for r in results[:FIRST]
    ]
    if len(results) > FIRST:
        lines += ["", f"… and {len(results) - FIRST} more (see the SARIF report)."]
    return "\n".join(lines) + "\n"
