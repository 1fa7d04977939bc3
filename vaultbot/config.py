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
from vaultbot.rules import ALL_RULES, Rule, lookup

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KEYS = {"select", "ignore", "exclude", "profile", "respect-obsidian-ignore", "rules"}
PROFILES = ("auto", "generated", "personal")


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    respect_obsidian_ignore: bool = True
    profile: str = "auto"  # "generated" | "personal" | "auto" (detected; vaultbot.profile)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None
    found: bool = True  # False: a pyproject.toml without a [tool.vaultbot] table

    def rules(self, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Rule]:
        """Instances of the enabled rules, with their options (command line wins)."""
        _check_rule_keys([*select, *ignore], "command line")
        chosen = [r for r in ALL_RULES if _matches(r, list(select) or self.select or ["ALL"])]
        ignored = [*self.ignore, *ignore]
        return [
            rule(self.rule_options.get(rule.name))
            for rule in chosen
            if not (ignored and _matches(rule, ignored))
        ]


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
            raise ConfigError(f"{where}: unknown rule '{key}'")


def parse(data: dict[str, Any], source: Path | None = None) -> Config:
    where = str(source) if source else "config"
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (known: {', '.join(sorted(KEYS))})")
    config = Config(source=source)
    for key in ("select", "ignore", "exclude"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: '{key}' must be a list of strings")
        setattr(config, key, value)
    _check_rule_keys(config.select + config.ignore, where)
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


def load(path: Path) -> Config:
    """Read one config file (pyproject.toml: its `[tool.vaultbot]` table)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
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
