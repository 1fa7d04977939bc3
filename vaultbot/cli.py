"""Command line: argument parsing only; the work is done by the library."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from vaultbot import __version__
from vaultbot.config import Config, ConfigError, discover
from vaultbot.config import load as load_config
from vaultbot.engine import Report, run, select_notes
from vaultbot.output import FORMATTERS
from vaultbot.rules import ALL_RULES, lookup
from vaultbot.vault import Vault, find_root

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _error(message: str) -> None:
    click.echo(f"vaultbot: error: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vaultbot")
def cli() -> None:
    """A linter and maintenance bot for Obsidian vaults."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--vault-root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The vault's root folder (default: nearest .obsidian/, else git top level).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file to use instead of the discovered one.",
)
@click.option("--select", multiple=True, help="Rules to run (codes, names or code prefixes).")
@click.option("--ignore", multiple=True, help="Rules to skip.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
def check(
    paths: tuple[Path, ...],
    fmt: str,
    vault_root: Path | None,
    config_path: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    output: Path | None,
    jobs: int | None,
    exit_zero: bool,
) -> None:
    """Check notes for problems (default: the current folder)."""
    paths = paths or (Path("."),)
    root = (vault_root or find_root(paths[0])).resolve()
    try:
        config = load_config(config_path) if config_path else discover(root)
        rules = config.rules(_split(select), _split(ignore))
    except ConfigError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)
    report = check_vault(root, paths, config, rules, jobs)
    text = FORMATTERS[fmt](report)
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)
    for message in report.all_errors:
        _error(message)
    if report.all_errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if report.results and not exit_zero else EXIT_OK)


def check_vault(
    root: Path, paths: Sequence[Path], config: Config, rules: list, jobs: int | None
) -> Report:
    vault = Vault.scan(root)
    notes, errors = select_notes(vault, paths, config)
    report = run(vault, notes, rules, jobs)
    report.errors.extend(errors)
    return report


@cli.command("rules")
def list_rules() -> None:
    """List every rule: code, name, severity and summary."""
    for rule in ALL_RULES:
        click.echo(f"{rule.code}  {rule.name:<22} {rule.severity:<8} {rule.summary()}")


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Show a rule's documentation."""
    found = lookup(rule)
    if found is None:
        _error(f"unknown rule '{rule}' (see `vaultbot rules`)")
        sys.exit(EXIT_ERROR)
    click.echo(f"# {found.name} ({found.code})\n\nSeverity: {found.severity}\n\n{found.docs()}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code instead of raising SystemExit."""
    try:
        cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="vaultbot",
            standalone_mode=False,
        )
    except SystemExit as exc:
        return int(exc.code or 0)
    except click.exceptions.Abort:
        return 130
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    return EXIT_OK
