"""Declarative checks of function arguments, made before any work.

A public function states what each argument may be, next to its signature::

    @validate_params(
        {
            "min_count": [Interval(Integral, 1, None)],
            "sort_by": [StrOptions({"ll", "chi2", "pmi"}, deprecated={"likelihood_ratio": "ll"})],
            "case_sensitive": ["boolean"],
            "stopwords": [None, Check(is_word_list, "a list of strings")],
        },
        renamed={"lowercase": Renamed("case_sensitive", invert=True)},
    )
    def frequencies(corpus, by=None, *, case_sensitive=False, ...): ...

When the function is called, the arguments are bound to its signature and every listed
argument is checked against its constraints (it is valid if it satisfies *any* of them;
``None`` in the list allows ``None``) before the function body runs, so no index is built
and nothing is counted for a call that will fail.  A failed check raises
:class:`toolkit.errors.ParameterError` naming the parameter, the value and what would be
valid (the valid choices themselves for options).

Deprecations, for one release:

* a **renamed argument** (``renamed={"lowercase": Renamed("case_sensitive", invert=True)}``)
  is accepted under its old name with a :class:`FutureWarning` naming the new one and the
  value to give it; giving both names is an error;
* a **renamed option value** (``StrOptions(..., deprecated={"likelihood_ratio": "ll"})``)
  is accepted with a :class:`FutureWarning` and replaced by the new value.

The design follows scikit-learn's ``sklearn.utils._param_validation`` (``validate_params``,
``Interval``, ``StrOptions``), written small and without depending on scikit-learn.

Examples
--------
>>> from numbers import Integral
>>> @validate_params({"n": [Interval(Integral, 2, None)], "how": [StrOptions({"a", "b"})]})
... def f(n: int = 2, how: str = "a") -> str:
...     return how * n
>>> f(3, how="b")
'bbb'
>>> f(1)
Traceback (most recent call last):
...
toolkit.errors.ParameterError: n=1 is not valid: n must be an int in [2, inf)
>>> f(how="c")
Traceback (most recent call last):
...
toolkit.errors.ParameterError: how='c' is not valid: how must be one of 'a', 'b'; \
valid values: 'a', 'b'
"""

from __future__ import annotations

import functools
import inspect
import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd

from .errors import ColumnError, LimitError, ParameterError

__all__ = [
    "Constraint",
    "Options",
    "StrOptions",
    "Interval",
    "InstanceOf",
    "Check",
    "Each",
    "Renamed",
    "validate_params",
    "renamed_arguments",
    "check_value",
    "group_columns",
    "check_window",
    "ColumnError",
    "REMOVED_IN",
]

F = TypeVar("F", bound=Callable[..., Any])

#: The release in which deprecated names stop working.
REMOVED_IN = "0.3"


# --------------------------------------------------------------------------- constraints


class Constraint:
    """One way a value may be valid."""

    #: The valid values, when they can be listed (options); ``None`` otherwise.
    choices: list[Any] | None = None

    def is_satisfied_by(self, value: Any) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def convert(self, name: str, value: Any) -> Any:
        """The value to pass on (a deprecated option replaced, with a warning)."""
        return value

    def __str__(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


class Options(Constraint):
    """One of a set of values (compared with ``==``, of the given ``type``).

    ``deprecated`` maps old values to their new names: an old value is accepted with a
    ``FutureWarning`` and replaced.  The listed choices keep the order given (sorted if a
    set is given).
    """

    def __init__(
        self,
        type: type | tuple[type, ...],
        options: Iterable[Any],
        *,
        deprecated: Mapping[Any, Any] | None = None,
    ) -> None:
        self.type = type
        self.options = sorted(options) if isinstance(options, set | frozenset) else list(options)
        self.deprecated = dict(deprecated or {})
        self.choices = list(self.options)

    def is_satisfied_by(self, value: Any) -> bool:
        if not isinstance(value, self.type) or isinstance(value, bool) and self.type is not bool:
            return False
        return value in self.options or value in self.deprecated

    def convert(self, name: str, value: Any) -> Any:
        if value in self.deprecated and value not in self.options:
            new = self.deprecated[value]
            warnings.warn(
                f"{name}={value!r} is deprecated and will stop working in toolkit {REMOVED_IN}; "
                f"use {name}={new!r} (the same)",
                FutureWarning,
                stacklevel=4,
            )
            return new
        return value

    def __str__(self) -> str:
        return "one of " + ", ".join(repr(o) for o in self.options)


class StrOptions(Options):
    """One of a set of strings."""

    def __init__(self, options: Iterable[str], *, deprecated: Mapping[str, str] | None = None):
        super().__init__(str, options, deprecated=deprecated)


class Interval(Constraint):
    """A number of ``type`` (``numbers.Integral`` or ``numbers.Real``) between ``left``
    and ``right`` (``None``: unbounded); ``closed`` is ``"both"``, ``"left"``, ``"right"``
    or ``"neither"``.  Booleans are not numbers here; NaN never is in an interval."""

    def __init__(
        self,
        type: type,
        left: float | None,
        right: float | None,
        *,
        closed: str = "both",
    ) -> None:
        if closed not in ("both", "left", "right", "neither"):
            raise ValueError(f"closed={closed!r}")
        self.type, self.left, self.right, self.closed = type, left, right, closed

    def is_satisfied_by(self, value: Any) -> bool:
        if isinstance(value, bool | np.bool_) or not isinstance(value, self.type):
            return False
        if isinstance(value, Real) and math.isnan(value):
            return False
        number: Any = value
        if self.left is not None:
            if number < self.left or (number == self.left and self.closed in ("right", "neither")):
                return False
        if self.right is not None:
            if number > self.right or (number == self.right and self.closed in ("left", "neither")):
                return False
        return True

    def __str__(self) -> str:
        kind = "an int" if self.type is Integral else "a number"
        lb = "[" if self.closed in ("both", "left") and self.left is not None else "("
        rb = "]" if self.closed in ("both", "right") and self.right is not None else ")"
        left = "-inf" if self.left is None else repr(self.left)
        right = "inf" if self.right is None else repr(self.right)
        return f"{kind} in {lb}{left}, {right}{rb}"


class InstanceOf(Constraint):
    """An instance of one of ``types``; ``name`` describes them in messages."""

    def __init__(self, *types: type, name: str | None = None) -> None:
        self.types = types
        self.name = name or " or ".join(f"a {t.__name__}" for t in types)

    def is_satisfied_by(self, value: Any) -> bool:
        return isinstance(value, self.types)

    def __str__(self) -> str:
        return self.name


class Check(Constraint):
    """Any value for which ``func(value)`` is true; ``description`` says what that is."""

    def __init__(self, func: Callable[[Any], bool], description: str) -> None:
        self.func, self.description = func, description

    def is_satisfied_by(self, value: Any) -> bool:
        try:
            return bool(self.func(value))
        except Exception:
            return False

    def __str__(self) -> str:
        return self.description


class Each(Constraint):
    """One value or a list of values, each satisfying ``inner`` (an :class:`Options`)."""

    def __init__(self, inner: Options) -> None:
        self.inner = inner
        self.choices = inner.choices

    def _items(self, value: Any) -> list[Any] | None:
        if self.inner.is_satisfied_by(value):
            return [value]
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            return None
        return list(value)

    def is_satisfied_by(self, value: Any) -> bool:
        items = self._items(value)
        return (
            items is not None
            and len(items) > 0
            and all(self.inner.is_satisfied_by(v) for v in items)
        )

    def convert(self, name: str, value: Any) -> Any:
        items = self._items(value)
        assert items is not None
        return [self.inner.convert(name, v) for v in items]

    def __str__(self) -> str:
        return f"{self.inner}, or a non-empty list of them"


_BOOLEAN = InstanceOf(bool, np.bool_, name="True or False")
_CALLABLE = Check(callable, "a callable")


def _as_constraint(spec: Any) -> Constraint | None:
    if spec is None:
        return None
    if isinstance(spec, Constraint):
        return spec
    if spec == "boolean":
        return _BOOLEAN
    if spec == "callable":
        return _CALLABLE
    if isinstance(spec, type):
        return InstanceOf(spec)
    raise TypeError(f"not a constraint: {spec!r}")


def check_value(name: str, value: Any, constraints: Sequence[Any]) -> Any:
    """``value`` checked against ``constraints`` (valid if any is satisfied), as passed
    on; or :class:`~toolkit.errors.ParameterError`.

    Examples
    --------
    >>> check_value("k", 3, [Interval(Integral, 1, None)])
    3
    >>> check_value("punct", "yes", ["boolean"])
    Traceback (most recent call last):
    ...
    toolkit.errors.ParameterError: punct='yes' is not valid: punct must be True or False
    """
    parsed = [_as_constraint(c) for c in constraints]
    if value is None and None in parsed:
        return value
    for c in parsed:
        if c is not None and c.is_satisfied_by(value):
            return c.convert(name, value)
    described = [str(c) for c in parsed if c is not None] + (["None"] if None in parsed else [])
    choices: list[Any] = []
    for c in parsed:
        if c is not None and c.choices is not None:
            choices.extend(c.choices)
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
    message = f"{name}={shown} is not valid: {name} must be " + "; or ".join(described)
    raise ParameterError(name, value, message, valid=choices or None)


# --------------------------------------------------------------------------- decorator


@dataclass(frozen=True)
class Renamed:
    """An argument's old name, kept for one release: ``new`` is its new name; with
    ``invert=True`` the new argument means the opposite (``lowercase=True`` is
    ``case_sensitive=False``)."""

    new: str
    invert: bool = False

    def value(self, old_value: Any) -> Any:
        if self.invert and isinstance(old_value, bool | np.bool_):
            return not old_value
        return old_value


def _shown_name(func: Callable[..., Any]) -> str:
    """How messages name a function: ``tokens``, ``PeriodEmbeddings.change`` for a method,
    ``Replace`` for a class's ``__init__``."""
    name = getattr(func, "__qualname__", func.__name__).rsplit("<locals>.", 1)[-1]
    return name.removesuffix(".__init__")


def renamed_arguments(renamed: Mapping[str, Renamed]) -> Callable[[F], F]:
    """Old argument names accepted with a ``FutureWarning`` (:func:`validate_params`
    without constraints), the function's own signature kept for type checkers.  Also for
    methods and ``__init__`` (the message then names ``Class.method`` or ``Class``).

    Examples
    --------
    >>> class Step:
    ...     @renamed_arguments({"window": Renamed("lines")})
    ...     def __init__(self, lines: int = 2) -> None:
    ...         self.lines = lines
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     Step(window=3).lines
    3
    >>> str(caught[0].message).split(";")[0]
    'Step: the argument window= is deprecated and will stop working in toolkit 0.3'
    """
    return cast("Callable[[F], F]", validate_params({}, renamed=renamed))


def validate_params(
    constraints: Mapping[str, Sequence[Any]],
    *,
    renamed: Mapping[str, Renamed] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Check the arguments of the decorated function against ``constraints`` before it
    runs; accept the ``renamed`` old argument names with a ``FutureWarning``.

    Every name in ``constraints`` must be a parameter of the function (checked when the
    function is decorated).  See the module notes.
    """
    renamed = dict(renamed or {})

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        sig = inspect.signature(func)
        unknown = [n for n in constraints if n not in sig.parameters]
        unknown += [r.new for r in renamed.values() if r.new not in sig.parameters]
        if unknown:
            raise TypeError(f"{func.__name__} has no parameters {unknown}")
        checks = {n: list(c) for n, c in constraints.items()}
        shown = _shown_name(func)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, r in renamed.items():
                if old not in kwargs:
                    continue
                old_value = kwargs.pop(old)
                if r.new in kwargs:
                    raise ParameterError(
                        old,
                        old_value,
                        f"{old}= is the deprecated name of {r.new}=; give {r.new}= only",
                    )
                new_value = r.value(old_value)
                note = f" ({old}={old_value!r} is {r.new}={new_value!r})" if r.invert else ""
                warnings.warn(
                    f"{shown}: the argument {old}= is deprecated and will stop "
                    f"working in toolkit {REMOVED_IN}; use {r.new}= instead{note}",
                    FutureWarning,
                    stacklevel=2,
                )
                kwargs[r.new] = new_value
            bound = sig.bind(*args, **kwargs)
            for name, cons in checks.items():
                if name in bound.arguments:
                    value = bound.arguments[name]
                else:
                    value = sig.parameters[name].default
                    if value is inspect.Parameter.empty:
                        continue
                new = check_value(name, value, cons)
                if new is not value:
                    bound.arguments[name] = new
            return func(*bound.args, **bound.kwargs)

        wrapper.__validated__ = checks  # type: ignore[attr-defined]
        return wrapper

    return decorate


# --------------------------------------------------------------------------- metadata columns


def _type_names(values: pd.Series) -> list[str]:
    present = values[values.notna()]
    return sorted({type(v).__name__ for v in present.tolist()})


def group_columns(meta: pd.DataFrame, by: str | Sequence[str], parameter: str = "by") -> list[str]:
    """The grouping columns as a list, each checked: it exists in the metadata and its
    values (missing ones aside) are all of one type, so that they can be compared, sorted
    and matched.  Otherwise :class:`ColumnError` naming the column and the columns there
    are, or the types found.

    Examples
    --------
    >>> meta = pd.DataFrame({"year": [1990, "1991"], "country": ["RUS", "USA"]})
    >>> group_columns(meta, "country")
    ['country']
    >>> group_columns(meta, "year")
    Traceback (most recent call last):
    ...
    toolkit.errors.ColumnError: by='year': the metadata column 'year' mixes values of \
the types int, str; make it one type first, e.g. corpus.assign(year=lambda m: \
m['year'].astype(str))
    """
    if isinstance(by, str):
        cols = [by]
    else:
        try:
            cols = list(by)
        except TypeError:
            raise ParameterError(
                parameter, by, f"{parameter} must be a column name or a list of them"
            ) from None
        if not cols:
            raise ParameterError(parameter, by, f"{parameter} is an empty list of columns")
    missing = [c for c in cols if c not in meta.columns]
    if missing:
        raise ColumnError(
            parameter,
            by,
            f"{parameter}={by!r}: no metadata column {missing[0]!r}",
            valid=list(meta.columns),
        )
    for c in cols:
        column = meta[c]
        if column.dtype == object:
            types = _type_names(column)
            if len(types) > 1:
                raise ColumnError(
                    parameter,
                    by,
                    f"{parameter}={by!r}: the metadata column {c!r} mixes values of the types "
                    f"{', '.join(types)}; make it one type first, e.g. "
                    f"corpus.assign({c}=lambda m: m[{c!r}].astype(str))",
                )
    return cols


def check_window(value: Any, parameter: str = "window") -> int:
    """``value`` as a context window in tokens, or the error: ``ParameterError`` for a
    negative or non-integer value, ``LimitError`` above the option ``max_window``.

    Examples
    --------
    >>> check_window(5)
    5
    """
    from .options import get_option

    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ParameterError(
            parameter, value, f"{parameter} must be a whole number of tokens, not {value!r}"
        )
    if value < 0:
        raise ParameterError(parameter, value, f"{parameter} must be 0 or more, not {value}")
    limit = get_option("max_window")
    if value > limit:
        raise LimitError(
            "max_window",
            f"{parameter}={value} is wider than the largest context window, {limit:,} tokens",
        )
    return int(value)
