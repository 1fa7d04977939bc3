"""Configuration: `[tool.vaultbot]` in pyproject.toml, or `vaultbot.toml` / `.vaultbot.toml`.

Found from the vault root upwards; the first folder holding one of them wins. Unknown keys,
rules and rule options are errors that name the key.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultbot.errors import ConfigError
from vaultbot.profile import PROFILES
from vaultbot.rules import ALL_RULES, Rule, lookup
from vaultbot.vault import matches_glob

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PerFileIgnores = tuple[tuple[str, tuple[str, ...]], ...]

KEYS = {
    "select", "ignore", "extend-select", "extend-ignore", "per-file-ignores", "exclude",
    "profile", "respect-obsidian-ignore", "rules",
}  # fmt: skip


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    extend_ignore: list[str] = field(default_factory=list)
    #: (glob of vault-relative paths, rules not run on the notes it matches)
    per_file_ignores: PerFileIgnores = ()
    exclude: list[str] = field(default_factory=list)
    respect_obsidian_ignore: bool = True
    profile: str = "auto"  # "generated" | "personal" | "auto" (detected; vaultbot.profile)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None
    found: bool = True  # False: a pyproject.toml without a [tool.vaultbot] table

    def rules(
        self,
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        named: tuple[str, str] = ("--select", "--ignore"),
    ) -> list[Rule]:
        """Instances of the enabled rules, with their options (command line wins; as in ruff,
        `extend-select` and `extend-ignore` add to whichever selection applies). `named`:
        what an error calls `select` and `ignore` (the options, or the API's arguments)."""
        _check_rule_keys(list(select), named[0])
        _check_rule_keys(list(ignore), named[1])
        base = list(select) or self.select or ["ALL"]
        chosen = [r for r in ALL_RULES if _matches(r, [*base, *self.extend_select])]
        ignored = [*self.ignore, *self.extend_ignore, *ignore]
        return [
            rule(self.rule_options.get(rule.name))
            for rule in chosen
            if not (ignored and _matches(rule, ignored))
        ]


def ignored_in(rel: str, per_file_ignores: PerFileIgnores) -> frozenset[str]:
    """The codes of the rules `per-file-ignores` turns off for the note `rel`."""
    return frozenset(
        rule.code
        for pattern, keys in per_file_ignores
        if matches_glob(rel, pattern)
        for rule in ALL_RULES
        if _matches(rule, list(keys))
    )


def _matches(rule: type[Rule], keys: list[str]) -> bool:
    for key in keys:
        key = key.strip()
        if key.upper() == "ALL" or key.lower() == rule.name or rule.code.startswith(key.upper()):
            return True
    return False


def _check_rule_keys(keys: list[str], where: str) -> None:
    for key in keys:
        if not isinstance(key, str):
            raise ConfigError(f"{where}: expected rule codes or names, got {key!r}")
        if key.upper() != "ALL" and not any(_matches(r, [key]) for r in ALL_RULES):
            raise ConfigError(f"{where}: unknown rule '{key}' (see `vaultbot rules`)")


def parse(data: dict[str, Any], source: Path | None = None) -> Config:
    where = str(source) if source else "config"
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (known: {', '.join(sorted(KEYS))})")
    config = Config(source=source)
    for key in ("select", "ignore", "extend-select", "extend-ignore", "exclude"):
        setattr(config, key.replace("-", "_"), _strings(data.get(key, []), key, where))
    _check_rule_keys(
        config.select + config.ignore + config.extend_select + config.extend_ignore, where
    )
    per_file = data.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{where}: 'per-file-ignores' must be a table of globs")
    for pattern, keys in per_file.items():
        keys = _strings(keys, f"per-file-ignores.{pattern}", where)
        _check_rule_keys(keys, where)
        config.per_file_ignores += ((pattern, tuple(keys)),)
    respect = data.get("respect-obsidian-ignore", True)
    if not isinstance(respect, bool):
        raise ConfigError(f"{where}: 'respect-obsidian-ignore' must be true or false")
    config.respect_obsidian_ignore = respect
    profile = data.get("profile", "auto")
    if profile not in PROFILES:
        choices = ", ".join(f'"{p}"' for p in PROFILES)
        raise ConfigError(f"{where}: 'profile' must be one of {choices}, not {profile!r}")
    config.profile = profile
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f"{where}: 'rules' must be a table")
    for name, options in rules.items():
        rule = lookup(name)
        if rule is None:
            raise ConfigError(f"{where}: unknown rule 'rules.{name}'")
        if not isinstance(options, dict):
            raise ConfigError(f"{where}: 'rules.{name}' must be a table")
        config.rule_options[rule.name] = dict(options)
        try:
            rule(config.rule_options[rule.name])  # a rule checks its own options (Rule.spec)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return config


def _strings(value: Any, key: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return value


def load(path: Path) -> Config:
    """Read one config file (pyproject.toml: its `[tool.vaultbot]` table)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config ({exc})") from None
    if path.name == "pyproject.toml":
        tool = _table(data, "tool", path)
        if "vaultbot" not in tool:
            return Config(source=path, found=False)
        data = _table(tool, "vaultbot", path, "tool.")
    return parse(data, path)


def _table(data: dict[str, Any], key: str, path: Path, prefix: str = "") -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: '{prefix}{key}' must be a table")
    return value


def discover(start: Path) -> Config:
    """The config of the nearest folder from `start` upwards, or the defaults."""
    for folder in (start, *start.parents):
        for name in (".vaultbot.toml", "vaultbot.toml"):
            if (folder / name).is_file():
                return load(folder / name)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            config = load(pyproject)  # a broken pyproject.toml is reported, not skipped
            if config.found:
                return config
    return Config()
