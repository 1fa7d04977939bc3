"""SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`)."""

from __future__ import annotations

import json
import os
from urllib.parse import quote

from vaultbot import __version__
from vaultbot.docs import HOMEPAGE, rule_url
from vaultbot.engine import Report
from vaultbot.output.safe import json_escaped
from vaultbot.rules import ALL_RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_location(path: str) -> dict[str, str]:
    """A note's `artifactLocation`: SARIF's `uri` is an RFC 3986 URI reference, so the path is
    percent-encoded (a space, `#`, `%` or `?` read raw would end the path or break the URI,
    and code scanning would place the result on no file), relative to the source root (the
    working folder)."""
    # The bytes of the name: one that is not UTF-8 is escaped byte for byte (`caf%E9.md`).
    return {"uri": quote(os.fsencode(path), safe="/"), "uriBaseId": "%SRCROOT%"}


def render(report: Report) -> str:
    index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary()},
            "fullDescription": {"text": rule.summary()},
            "help": {"text": rule.docs(), "markdown": rule.docs()},
            "helpUri": rule_url(rule.name),
            "defaultConfiguration": {"level": LEVELS[rule.severity]},
        }
        for rule in ALL_RULES
    ]
    results: list[str] = []
    locations: dict[str, dict[str, str]] = {}
    for r in report.results:
        location = locations.get(r.path)
        if location is None:
            location = locations[r.path] = artifact_location(r.path)
        result = {
            "ruleId": r.code,
            "ruleIndex": index[r.code],
            "level": LEVELS.get(r.severity, "error"),
            "message": {"text": r.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": location,
                        "region": {
                            "startLine": r.line,
                            "startColumn": r.column,
                            "endLine": r.end_line,
                            "endColumn": max(r.end_column, r.column),
                        },
                    }
                }
            ],
        }
        results.append(json.dumps(result, ensure_ascii=False))
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vaultbot",
                        "version": __version__,
                        "informationUri": HOMEPAGE,
                        "rules": rules,
                    }
                },
                "results": [_RESULTS] if results else [],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    text = json.dumps(document, indent=2, ensure_ascii=False)
    # Each result on a line of its own, written by json's C encoder: an indented document is
    # written a value at a time in Python (20 s for 150,000 results).
    if not results:
        return json_escaped(text)
    placeholder = json.dumps(_RESULTS)
    at = text.index(placeholder)
    indent = at - text.rindex("\n", 0, at) - 1
    lines = f",\n{' ' * indent}".join(results)
    return json_escaped(text[:at] + lines + text[at + len(placeholder) :])


#: Stands for the results in the indented document (JSON text never holds a raw NUL).
_RESULTS = "\0results"
