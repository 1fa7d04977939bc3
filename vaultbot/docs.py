"""Rule pages: `vaultbot explain` and `docs/rules/*.md` render the same text, from the
rule's own docstring (one source of truth; a test keeps docs/ in step).

Regenerate the pages with `python -m vaultbot.docs docs/rules`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from vaultbot.rules import ALL_RULES, Rule

#: The project's canonical address, `Homepage` of `[project.urls]` in pyproject.toml (a test
#: keeps the two equal). A constant, not read from the installed metadata: importing
#: `importlib.metadata` and finding the distribution cost 90 ms of every run that writes rule
#: addresses (JSON, SARIF).
HOMEPAGE = "https://github.com/vaultbot/vaultbot"


def rule_url(name: str) -> str:
    """The address of a rule's docs page (`docs/rules/NAME.md` on the main branch)."""
    return f"{HOMEPAGE}/blob/main/docs/rules/{name}.md"


def page(rule: type[Rule]) -> str:
    """A rule's documentation page in Markdown."""
    docs = rule.docs()
    summary, _, body = docs.partition("\n")
    lines = [
        f"# {rule.name} ({rule.code})",
        "",
        summary,
        "",
        f"Severity: {rule.severity}.",
    ]
    if rule.defaults:
        options = ", ".join(
            f"`{key}` (default `{value}`)" if value is not None else f"`{key}` (unset by default)"
            for key, value in rule.defaults.items()
        )
        lines += ["", f"Options (`[tool.vaultbot.rules.{rule.name}]`): {options}."]
    return "\n".join(lines) + "\n\n" + body.strip() + "\n"


def index() -> str:
    rows = [
        f"| [{r.code}]({r.name}.md) | {r.name} | {r.severity} | {r.summary()} |" for r in ALL_RULES
    ]
    header = "# Rules\n\n| code | name | severity | summary |\n| --- | --- | --- | --- |\n"
    return header + "\n".join(rows) + "\n"


def expected_files() -> dict[str, str]:
    files = {f"{rule.name}.md": page(rule) for rule in ALL_RULES}
    files["README.md"] = index()
    return files


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in expected_files().items():
        (folder / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules"))
