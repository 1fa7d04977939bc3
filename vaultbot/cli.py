"""Command line: argument parsing only; the work is done by the library."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from vaultbot import __version__
from vaultbot.errors import ConfigError, GitError
from vaultbot.output import FORMATTERS, chunks, colour, safe
from vaultbot.severity import SEVERITIES

if TYPE_CHECKING:
    from vaultbot import api
    from vaultbot.engine import NoteReport, Plan, Report

# The engine, the rules and the formatters are imported by the commands that use them, so that
# `vaultbot --version`, `--help` and the hook start fast.

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # as shells report a command stopped by Ctrl-C (128 + SIGINT)
F = TypeVar("F", bound=Callable[..., Any])
#: Fuzzy relinking is costly and only ever an unsafe fix: searched for by `fix --unsafe-fixes`.
NO_FUZZY: dict[str, dict[str, Any]] = {"link-target-missing": {"fuzzy-threshold": 0}}


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


#: True while stdout carries vaultbot's own workflow commands (`check --format github`).
_annotating = False


def _echo(text: str, err: bool = False, nl: bool = True) -> None:
    """Write a line (or lines): under GitHub Actions, no line may read as a workflow command
    but the annotations vaultbot means to write (note names are untrusted)."""
    ours = _annotating and not err  # stdout of `--format github`: our own commands
    if not ours and (_annotating or safe.in_github_actions()):
        text = safe.github_lines(text)
    # click strips escape codes from what it does not colour, with a pattern over the whole
    # text (0.05 s for the 70 MB JSON of a large vault): only where there is one to strip.
    coloured = colour.enabled(sys.stderr if err else sys.stdout) or "\x1b" not in text
    click.echo(text, err=err, nl=nl, color=coloured)


def _color_option(command: F) -> F:
    """`--color`: every command that writes for a reader takes it."""

    def choose(ctx: click.Context, param: click.Parameter, value: str) -> None:
        colour.choose(value)

    return click.option(
        "--color",
        type=click.Choice(colour.CHOICES),
        default="auto",
        show_default=True,
        expose_value=False,
        is_eager=True,
        callback=choose,
        help="Colour the output: auto (a terminal, unless NO_COLOR; FORCE_COLOR forces it), "
        "always or never.",
    )(command)


def _error(message: str) -> None:
    _echo(f"vaultbot: error: {safe.visible(message)}", err=True)


def _warning(message: str) -> None:
    _echo(f"vaultbot: warning: {safe.visible(message)}", err=True)


def _apply(command: F, options: list[Callable[[F], F]]) -> F:
    for option in reversed(options):
        command = option(command)
    return command


def _rules_options(command: F) -> F:
    """Options of every command that runs the rules: config, selection, parallelism."""
    return _apply(command, [
        click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Config file to use instead of the discovered one."),
        click.option("--select", multiple=True,
                     help="Rules to run (codes, names or code prefixes; comma-separated)."),
        click.option("--ignore", multiple=True, help="Rules to skip."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                     help="Worker processes, 1 or more (default: all cores)."),
        click.option("--respect-gitignore/--no-respect-gitignore", default=True,
                     show_default=True,
                     help="In a git work tree, skip the notes git ignores (.gitignore, "
                     "info/exclude); they still count as link targets."),
    ])  # fmt: skip


def _common(command: F) -> F:
    """Options shared by `check` and `fix`."""
    return _apply(_rules_options(_color_option(command)), [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--vault-root",
                     type=click.Path(exists=True, file_okay=False, path_type=Path),
                     help="The vault's root folder (default: nearest .obsidian/, else git top "
                     "level, else the current folder)."),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings."),
        click.option("--stdin-filename", type=click.Path(dir_okay=False, path_type=Path),
                     help="Read the note from standard input (path `-`) as if saved at this "
                     "path; its links resolve against the vault around it."),
    ])  # fmt: skip


def _bot_options(command: F) -> F:
    """The identity of bot commits (`fix --commit`, `clean --commit`)."""
    return _apply(command, [
        click.option("--bot-name", default="vaultbot[bot]", show_default=True,
                     help="Author and committer name of the bot commit."),
        click.option("--bot-email", default="vaultbot@users.noreply.github.com",
                     show_default=True, help="Author and committer email of the bot commit."),
    ])  # fmt: skip


def _one_vault(paths: tuple[Path, ...]) -> Path | None:
    """The vault of the first path (`clean` cleans one vault)."""
    from vaultbot.vault import find_root

    try:
        return find_root(paths[0] if paths else Path("."))
    except OSError:
        return None  # `plan` says what cannot be read


def _plans(
    paths: tuple[Path, ...],
    vault_root: Path | None,
    config_path: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rule_options: dict[str, dict[str, Any]] | None = None,
    staged: bool = False,
    respect_gitignore: bool = True,
) -> list[Plan]:
    """A plan for each vault the paths lie in (engine.plans)."""
    from vaultbot.engine import plans

    try:
        return plans(
            list(paths) or [Path(".")],
            vault_root,
            config_path,
            _split(select),
            _split(ignore),
            rule_options or {},
            staged,
            respect_gitignore,
        )
    except (ConfigError, GitError) as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)


def _write(path: Path, parts: Iterable[str], mode: str = "w") -> str | None:
    """Write (or with mode "a", append) the text `parts` to the file `path`; the error line
    naming the file when that fails (a full disk, a folder that is gone), else None."""
    try:
        with path.open(mode, encoding="utf-8") as handle:
            handle.writelines(parts)
    except OSError as exc:
        return f"{path}: cannot write ({exc.strerror or exc})"
    return None


def _append(path: Path | None, text: str, errors: list[str]) -> None:
    """Append `text` to the file `path` if one is given; a failure joins `errors`."""
    if path is not None:
        error = _write(path, [text], "a")
        if error is not None:
            errors.append(error)


class _Sink:
    """The JSON document of a check, written as the notes are finished (`json_format.Stream`)
    to standard output or the `-o` file. A file that cannot be written is named in one error
    line at the end; the check goes on."""

    def __init__(self, output: Path | None) -> None:
        from vaultbot.output.json_format import Stream

        self.output = output
        self.error: str | None = None
        self.handle: TextIO | None = None
        if output is not None:
            try:
                self.handle = output.open("w", encoding="utf-8")
            except OSError as exc:
                self._failed(exc)
        self.stream = Stream(self._write)

    def close(self, report: Report) -> None:
        """Write the rest of the document, and tell a failure to write it as an error."""
        self.stream.close(report)
        self._write("\n")
        if self.handle is not None:
            try:
                self.handle.close()
            except OSError as exc:
                self._failed(exc)
        if self.error is not None:
            report.errors.append(self.error)

    def _write(self, text: str) -> None:
        if self.output is None:
            _echo(text, nl=False)
        elif self.handle is not None and self.error is None:
            try:
                self.handle.write(text)
            except OSError as exc:
                self._failed(exc)

    def _failed(self, exc: OSError) -> None:
        self.error = self.error or f"{self.output}: cannot write ({exc.strerror or exc})"


def _counts_option(command: F) -> F:
    return click.option(
        "--counts",
        "counts_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also append the run's counts as name=value lines to this file (e.g. $GITHUB_OUTPUT).",
    )(command)


def _finish(report: Report, text: str | Iterable[str], output: Path | None, failed: bool) -> None:
    """Write the output (in the pieces given, each whole lines), tell warnings and errors, and
    exit with the run's code."""
    parts = [text] if isinstance(text, str) else text
    errors = report.all_errors
    if output is not None:
        keep = colour.enabled(None)
        written = (part if keep or "\x1b" not in part else colour.strip(part) for part in parts)
        error = _write(output, itertools.chain(written, ["\n"]))
        errors = errors + ([error] if error is not None else [])
    else:
        wrote = False
        for part in parts:
            if part:
                _echo(part, nl=False)
                wrote = True
        if wrote:
            _echo("")
    for message in report.warnings:
        _warning(message)
    for message in errors:
        _error(message)
    if report.interrupted:
        from vaultbot.output import summary

        _error(summary.interrupted_line(report))
        sys.exit(EXIT_INTERRUPTED)
    if errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vaultbot")
def cli() -> None:
    """A linter and maintenance bot for Obsidian vaults."""


@cli.command()
@_common
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Only notes and lines changed since the merge base of REF and HEAD "
    "('auto': the base of the pull request GitHub Actions runs for).",
)
@click.option(
    "--sarif",
    "sarif_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a SARIF 2.1.0 report to this file.",
)
@click.option(
    "--summary",
    "summary_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also append a Markdown summary to this file (e.g. $GITHUB_STEP_SUMMARY).",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default="info",
    show_default=True,
    help="Exit 1 only for findings of this severity or worse.",
)
@click.option("--no-cache", is_flag=True,
              help="Do not read or write the cache (.vaultbot_cache/ at the vault root).")  # fmt: skip
@click.option(
    "--staged",
    is_flag=True,
    help="Check the notes staged in git as staged (index contents), resolving links "
    "against the tree the commit will hold (for a plain pre-commit hook).",
)
@click.option(
    "--whole-notes",
    is_flag=True,
    help="With --changed-since: report on every line of the changed notes.",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only the findings this baseline file does not hold.",
)
@click.option(
    "--write-baseline",
    is_flag=True,
    help="Write every finding to the --baseline file (accepting them all) and exit 0.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Show one line per rule (count, code, name, fixability) instead of each finding.",
)
@_counts_option  # fmt: skip
def check(
    paths: tuple[Path, ...],
    vault_root: Path | None,
    config_path: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    jobs: int | None,
    respect_gitignore: bool,
    exit_zero: bool,
    stdin_filename: Path | None,
    fmt: str,
    output: Path | None,
    changed_since: str | None,
    sarif_path: Path | None,
    summary_path: Path | None,
    fail_on: str,
    no_cache: bool,
    staged: bool,
    whole_notes: bool,
    baseline_path: Path | None,
    write_baseline: bool,
    statistics: bool,
    counts_path: Path | None,
) -> None:
    """Check notes for problems (default: the current folder)."""
    from vaultbot.engine import Job, merged, run, run_cached
    from vaultbot.output import job_summary, summary

    global _annotating
    _annotating = fmt == "github" and output is None
    if _reads_stdin(paths, stdin_filename):
        from vaultbot import stdin

        name, vault, rel = _stdin_vault(stdin_filename, vault_root, config_path, NO_FUZZY)
        text, _bom = _read_stdin(name)
        report = stdin.check(text, name, vault, rel, _split(select), _split(ignore))
        _finish_check(report, fmt, statistics, output, fail_on, exit_zero)
    reports: list[Report] = []
    plans = _plans(paths, vault_root, config_path, select, ignore, NO_FUZZY, staged,
                   respect_gitignore)  # fmt: skip
    cached = not (no_cache or staged)  # the cache knows files on disk, not the index
    # A JSON document of one vault whose findings nothing else reads (the cache, a baseline,
    # another report) is written as the notes are finished: memory stays flat.
    others = (changed_since, baseline_path, write_baseline, sarif_path, summary_path,
              counts_path, statistics)  # fmt: skip
    sink = (
        _Sink(output)
        if fmt == "json" and len(plans) == 1 and not cached and not any(others)
        else None
    )
    for p in plans:
        narrow = _changed(p, changed_since, lines=not whole_notes)
        job = Job(p.vault, p.rules, Path.cwd(), per_file_ignores=p.per_file_ignores,
                  json=fmt == "json")  # fmt: skip
        if sink is not None:
            report = run(job, p.notes, jobs, sink.stream.finished)
        else:
            report = run_cached(job, p.notes, jobs) if cached else run(job, p.notes, jobs)
        narrow(report)
        report.errors[:0] = p.errors
        report.warnings[:0] = p.warnings
        reports.append(report)
        if report.interrupted:
            break
    report = merged(reports)
    if not (staged or changed_since):
        _tell_no_notes(report, paths)
    if baseline_path is not None or write_baseline:
        _baseline(report, baseline_path, write_baseline)
    if sarif_path is not None:
        error = _write(sarif_path, [FORMATTERS["sarif"](report), "\n"])
        report.errors.extend([error] if error is not None else [])
    if summary_path is not None:
        _append(summary_path, job_summary.render(report), report.errors)
    if counts_path is not None:
        _append(counts_path, summary.check_counts(report), report.errors)
    if sink is not None:
        sink.close(report)
    _finish_check(report, fmt, statistics, output, fail_on, exit_zero, written=sink is not None)


def _baseline(report: Report, path: Path | None, write: bool) -> None:
    from vaultbot import baseline

    if path is None:
        _error("--write-baseline needs --baseline FILE")
        sys.exit(EXIT_ERROR)
    if write:
        try:
            count = baseline.write(report, path)
        except OSError as exc:
            _error(f"{path}: cannot write ({exc.strerror or exc})")
            sys.exit(EXIT_ERROR)
        _echo(f"Wrote {count} findings to the baseline {path}.")
        sys.exit(EXIT_ERROR if report.all_errors else EXIT_OK)
    try:
        accepted = baseline.load(path)
    except ConfigError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)
    report.baselined = baseline.apply(report, accepted)


def _finish_check(
    report: Report,
    fmt: str,
    statistics: bool,
    output: Path | None,
    fail_on: str,
    exit_zero: bool,
    written: bool = False,  # the output is written already (`_Sink`)
) -> None:
    from vaultbot.output import summary

    text: str | Iterable[str]
    worst = SEVERITIES.index(fail_on)
    failed = any(SEVERITIES.index(severity) <= worst for _, severity, _ in report.kinds())
    if written:
        output, text = None, ""
    else:
        text = chunks(fmt, report)
    if statistics:
        text = "\n".join(
            filter(None, [summary.statistics(report.results), summary.check_line(report)])
        )
    _finish(report, text, output, failed and not exit_zero)


def _reads_stdin(paths: tuple[Path, ...], stdin_filename: Path | None) -> bool:
    if Path("-") in paths and len(paths) > 1:
        _error("`-` (standard input) cannot be combined with other paths")
        sys.exit(EXIT_ERROR)
    return paths == (Path("-"),) or (stdin_filename is not None and not paths)


def _stdin_vault(
    filename: Path | None,
    vault_root: Path | None,
    config_path: Path | None,
    overrides: dict[str, dict[str, Any]],
) -> tuple[Path, api.Vault, str]:
    from vaultbot import stdin

    name = filename or Path("stdin.md")
    try:
        return (name, *stdin.vault_for(name, vault_root, config_path, overrides))
    except ConfigError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)


def _read_stdin(name: Path) -> tuple[str, bool]:
    from vaultbot import stdin
    from vaultbot.note import NoteError

    try:
        return stdin.read(sys.stdin.buffer, name)
    except NoteError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)


def _changed(p: Plan, ref: str | None, lines: bool = True) -> Callable[[Report], None]:
    from vaultbot.engine import restrict_to_changes

    if ref is None:
        return lambda report: None
    try:
        return restrict_to_changes(p, ref, lines)
    except GitError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)


@cli.command(short_help="Apply the rules' fixes to notes in place.")
@_common
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes marked unsafe.")
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes; write nothing.")
@click.option(
    "--link-strategy",
    type=click.Choice(["relink", "unlink", "stub"]),
    help="How link-target-missing is fixed (default: relink, or the config's).",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Only fix notes changed since the merge base of REF and HEAD ('auto': the "
    "pull request's base).",
)
@click.option(
    "--commit", is_flag=True, help="Commit the fixed notes (and only them) as one bot commit."
)
@click.option("--show-fixes", is_flag=True, help="List the fixes applied, per note and rule.")
@_bot_options
@_counts_option
def fix(
    paths: tuple[Path, ...],
    vault_root: Path | None,
    config_path: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    jobs: int | None,
    respect_gitignore: bool,
    exit_zero: bool,
    stdin_filename: Path | None,
    unsafe_fixes: bool,
    diff: bool,
    link_strategy: str | None,
    changed_since: str | None,
    commit: bool,
    show_fixes: bool,
    bot_name: str,
    bot_email: str,
    counts_path: Path | None,
) -> None:
    """Apply the rules' fixes to notes in place (default: the current folder)."""
    from vaultbot.engine import Job, merged, run
    from vaultbot.output import summary

    overrides: dict[str, dict[str, Any]] = {} if unsafe_fixes else dict(NO_FUZZY)
    if link_strategy:
        overrides["link-target-missing"] = {
            **overrides.get("link-target-missing", {}),
            "strategy": link_strategy,
        }
    if _reads_stdin(paths, stdin_filename):
        from vaultbot import stdin
        from vaultbot.output import concise

        name, vault, rel = _stdin_vault(stdin_filename, vault_root, config_path, overrides)
        text, bom = _read_stdin(name)
        text, report = stdin.fix(
            text, name, vault, rel, _split(select), _split(ignore), unsafe_fixes
        )
        sys.stdout.buffer.write(stdin.encode(text, bom))  # byte for byte, for the editor
        sys.stdout.flush()
        for result in report.results:
            _echo(concise.line(result), err=True)
        _finish(report, "", None, bool(report.results) and not exit_zero)
    runs: list[tuple[Plan, Report]] = []
    planned = _plans(paths, vault_root, config_path, select, ignore, overrides, False,
                     respect_gitignore)  # fmt: skip
    if commit and not diff:
        _in_git(planned)  # before a note is written: the fixes are to land in a commit
    for p in planned:
        _changed(p, changed_since)  # fixes whole changed notes, not only their changed lines
        job = Job(p.vault, p.rules, Path.cwd(), fix=True, unsafe=unsafe_fixes, write=not diff,
                  diff=diff, per_file_ignores=p.per_file_ignores)  # fmt: skip
        report = run(job, p.notes, jobs)
        report.errors[:0] = p.errors
        report.warnings[:0] = p.warnings
        if not diff:
            report.errors.extend(report.create_stubs(p.vault.root))
        runs.append((p, report))
        if report.interrupted:
            break
    report = merged([r for _, r in runs])
    if not changed_since:
        _tell_no_notes(report, paths)
    parts: list[Iterable[str]] = []
    if diff:  # one piece a note: a whole vault's diff is written, never held whole
        parts.append(_shown_diff(n.diff) for n in report.notes if n.diff)
    else:
        from vaultbot.output import concise

        parts.append(concise.line(r) for r in report.results)
        parts.append([summary.found_line(report)])
    if show_fixes:
        parts.append([summary.fixes_applied(report, dry_run=diff)])
    parts.append([summary.fix_line(report, dry_run=diff, unsafe=unsafe_fixes)])
    if commit and not diff and not report.all_errors:
        parts.append([_commit(runs, bot_name, bot_email)])
    if counts_path is not None:
        _append(counts_path, summary.fix_counts(report), report.errors)
    changed = any(n.fixed for n in report.notes)
    text = _lines_apart(itertools.chain.from_iterable(parts))
    _finish(report, text, None, (changed or bool(report.results)) and not exit_zero)


def _in_git(planned: list[Plan]) -> None:
    """Exit 2 with git's word unless every vault planned lies in a git work tree with a
    commit."""
    from vaultbot.git import repo_with_commit

    try:
        for p in planned:
            repo_with_commit(p.vault.root)
    except GitError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)


def _tell_no_notes(report: Report, paths: Sequence[Path]) -> None:
    """A warning when the paths held no note at all (an empty folder, a file that is not a
    note, a folder of other files): a run that checked nothing says so, as ruff does."""
    if report.checked or report.all_errors or report.warnings or report.interrupted:
        return
    named = ", ".join(str(path) for path in paths) or "."
    report.warnings.append(f"no notes (.md files) found in {named}")


def _lines_apart(parts: Iterable[str]) -> Iterator[str]:
    """`"\n".join` of the non-empty parts, each without its final line breaks, in pieces."""
    between = ""
    for part in parts:
        if part:
            yield between + part.rstrip("\n")
            between = "\n"


def _shown_diff(text: str) -> str:
    """A diff as is for a pipe (`patch` needs the bytes); coloured, with the changed words
    emphasised and control characters made visible, for a terminal."""
    from vaultbot.output import diff

    if colour.enabled(sys.stdout):
        return diff.colour(text)
    return safe.visible_lines(text) if sys.stdout.isatty() else text


def _commit(runs: list[tuple[Plan, Report]], name: str, email: str) -> str:
    """One bot commit of the files the runs (one a vault) wrote."""
    try:
        from vaultbot import clean
        from vaultbot.git import commit_fixes, committable
        from vaultbot.output import summary

        files: list[Path] = []
        notes: list[NoteReport] = []
        for p, report in runs:
            root = p.vault.root
            kept = committable(root, clean.changed_files(report, root))
            files += kept
            notes += [n for n in report.notes if root / n.rel in set(kept)]
        root = runs[0][0].vault.root
        sha = commit_fixes(root, files, summary.commit_message(notes), name, email)
    except GitError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)
    return f"Committed {sha[:12]}." if sha else "Nothing to commit."


@cli.command("clean", short_help="Check and fix a whole vault, with a summary table.")
@click.argument(
    "vault", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@_rules_options
@_color_option
@click.option("--dry-run", is_flag=True, help="Write nothing; the table says what would change.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes marked unsafe.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a self-contained HTML report to this file.",
)
@click.option(
    "--commit",
    is_flag=True,
    help="Commit all fixes as one bot commit on a new branch (never pushes).",
)
@click.option("--branch", help="Branch for --commit (default: vaultbot/cleanup-YYYY-MM-DD).")
@click.option("--allow-dirty", is_flag=True, help="Let --commit start on a dirty work tree.")
@_bot_options
def clean_command(
    vault: Path | None,
    config_path: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    jobs: int | None,
    respect_gitignore: bool,
    dry_run: bool,
    unsafe_fixes: bool,
    report_path: Path | None,
    commit: bool,
    branch: str | None,
    allow_dirty: bool,
    bot_name: str,
    bot_email: str,
) -> None:
    """Check and fix a whole vault, with progress, a summary table and an optional report."""
    from vaultbot import clean  # rich and gitpython load only for the commands that use them
    from vaultbot.engine import Job
    from vaultbot.git import start_branch

    target = vault or Path(".")
    overrides = {} if unsafe_fixes else dict(NO_FUZZY)
    [p] = _plans((target,), vault or _one_vault((target,)), config_path, select, ignore,
                 overrides, False, respect_gitignore)  # fmt: skip
    _one_vault_only(p, target)
    if commit and not dry_run:
        try:
            start_branch(p.vault.root, branch or clean.branch_name(), allow_dirty)
        except GitError as exc:
            _error(str(exc))
            sys.exit(EXIT_ERROR)
    job = Job(p.vault, p.rules, Path.cwd(), fix=True, unsafe=unsafe_fixes, write=not dry_run,
              per_file_ignores=p.per_file_ignores)  # fmt: skip
    report = clean.clean(p, job, jobs)
    report.errors[:0] = p.errors
    report.warnings[:0] = p.warnings
    _tell_no_notes(report, (target,))
    if not dry_run:
        report.errors.extend(report.create_stubs(p.vault.root))
    clean.render(report, dry_run, sys.stdout)
    if report_path is not None:
        from vaultbot.output import html_report

        text = html_report.render(report, str(p.vault.root.name), dry_run)
        error = _write(report_path, [text])
        if error is None:
            click.echo(f"Report written to {report_path}")
        else:
            report.errors.append(error)
    if commit and not dry_run and not report.interrupted:
        click.echo(_commit([(p, report)], bot_name, bot_email))
    if report.interrupted:
        sys.exit(EXIT_INTERRUPTED)  # clean.render said how far it got
    changed = any(n.fixed for n in report.notes)
    _finish(report, "", None, changed or bool(report.results))


def _one_vault_only(p: Plan, target: Path) -> None:
    """Exit 2, naming them, when the folder to clean holds vaults of their own with notes to
    clean: cleaned as one vault, a note's links would resolve (and be relinked) to notes of
    another vault, which Obsidian never shows it. `check` and `fix` take each vault apart."""
    inner = [rel for rel in p.vault.nested if any(n.startswith(rel + "/") for n in p.notes)]
    if not inner:
        return
    shown = [os.path.relpath(p.vault.root / rel) for rel in sorted(inner)]
    listed = ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
    one = len(shown) == 1
    _error(
        f"{target}: holds {'a vault' if one else 'vaults'} of its own ({listed}); clean each "
        f"on its own (`vaultbot clean {shown[0]}`), or add {'it' if one else 'them'} to `exclude`"
    )
    sys.exit(EXIT_ERROR)


@cli.command("install-hook", short_help="Install a git pre-commit hook for staged notes.")
@click.option("--force", is_flag=True, help="Replace an existing, different pre-commit hook.")
def install_hook_command(force: bool) -> None:
    """Install a plain git pre-commit hook that checks staged notes."""
    from vaultbot.git import install_hook

    try:
        target = install_hook(Path.cwd(), force)
    except GitError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)
    click.echo(f"Installed {target}")


@cli.command("rules")
def list_rules() -> None:
    """List every rule: code, name, severity, fix and summary."""
    from vaultbot.rules import ALL_RULES

    click.echo(f"{'code':<6} {'name':<22} {'severity':<8} {'fix':<7} summary")
    for rule in ALL_RULES:
        click.echo(
            f"{rule.code:<6} {rule.name:<22} {rule.severity:<8} {rule.fixability():<7} "
            f"{rule.summary()}"
        )


@cli.command(short_help="Show a rule's documentation.")
@click.argument("rule")
@_color_option
def explain(rule: str) -> None:
    """Show a rule's documentation (rendered in a terminal, Markdown when piped)."""
    from vaultbot import docs
    from vaultbot.rules import lookup

    found = lookup(rule)
    if found is None:
        _error(f"unknown rule '{rule}' (see `vaultbot rules`)")
        sys.exit(EXIT_ERROR)
    if not sys.stdout.isatty():
        click.echo(docs.page(found), nl=False)
        return
    from rich.markdown import Markdown

    colour.console(sys.stdout).print(Markdown(docs.page(found)))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code instead of raising SystemExit."""
    global _annotating
    _annotating = False
    try:
        cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="vaultbot",
            standalone_mode=False,
        )
    except SystemExit as exc:
        return int(exc.code or 0)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    return EXIT_OK
