"""Front matter parsing with ruamel.yaml (safe loader), memoised per distinct block.

Many notes share identical front matter (`tags: [x]`), so each distinct text is parsed once
per process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError


@dataclass(frozen=True)
class YamlResult:
    data: Any = None
    #: (message, line, column) of the YAML error, 0-based within the block, or None.
    error: tuple[str, int, int] | None = None


_yaml = YAML(typ="safe", pure=True)


@functools.lru_cache(maxsize=8192)
def load(text: str) -> YamlResult:
    """Parse one front-matter block (without its `---` lines)."""
    try:
        return YamlResult(data=_yaml.load(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, col = (mark.line, mark.column) if mark is not None else (0, 0)
        return YamlResult(error=(" ".join(str(problem).split()), line, col))
    except YAMLError as exc:
        return YamlResult(error=(" ".join(str(exc).split()[:20]), 0, 0))
    except Exception as exc:  # ruamel raises plain errors on some malformed input
        return YamlResult(error=(f"{type(exc).__name__}: {exc}", 0, 0))
