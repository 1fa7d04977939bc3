"""GitHub workflow commands: one annotation a finding (`::error file=…,line=…::message`).

Values are escaped so that no note name or note text can end the command early or inject
another one: `%`, CR and LF in the message; also `:` and `,` in properties. The message shows
control characters as the text formats do (`safe.visible`): an escape sequence from a note's
text would otherwise reach the log, which renders them.
"""

from __future__ import annotations

from vaultbot.engine import Report, Result
from vaultbot.output.safe import undecoded_shown, visible

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    value = undecoded_shown(value)  # a byte of a name that is not UTF-8: `\\xNN`
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(result: Result) -> str:
    properties = {
        "file": result.path,
        "line": str(result.line),
        "col": str(result.column),
        "endLine": str(result.end_line),
        "endColumn": str(result.end_column),
        "title": f"{result.code} {result.rule}",
    }
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return (
        f"::{LEVELS.get(result.severity, 'error')} {props}::{escape_data(visible(result.message))}"
    )


def render(report: Report) -> str:
    return "\n".join(annotation(result) for result in report.results)
