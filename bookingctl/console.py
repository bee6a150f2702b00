"""Where ``bookingctl`` writes: results on stdout, progress and errors on stderr.

stdout carries what a script may capture (a token, the preview's tables, a verdict);
progress (Rich spinners) goes to stderr, so ``$(bookingctl local token …)`` and
``bookingctl preview … > preview.txt`` stay clean. Consoles are made when a command
runs, not at import, so they write to whatever ``sys.stdout``/``sys.stderr`` are then
(a test runner swaps them). Rich itself is imported then too: ``bookingctl --help``
never needs it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import ProgressColumn
    from rich.table import Table

# A log or a pipe has no width of its own, and Rich would fold every line at 80
# columns there: print lines whole (up to this width), as a wide terminal would.
UNSIZED_WIDTH = 200

Note = Callable[[str], None]


def _console(stream: TextIO, *, stderr: bool) -> Console:
    from rich.console import Console

    sized = stream.isatty() or "COLUMNS" in os.environ
    # Resource names, messages and policy ids are data: no markup, no highlighting, and
    # no emoji codes (``booking:email:Email`` would print as ``booking✉Email``).
    return Console(
        stderr=stderr,
        width=None if sized else UNSIZED_WIDTH,
        markup=False,
        emoji=False,
        highlight=False,
    )


def stdout() -> Console:
    return _console(sys.stdout, stderr=False)


def stderr() -> Console:
    return _console(sys.stderr, stderr=True)


def fail(message: str) -> None:
    """A line on stderr saying what the command could not do (the exit status says how bad)."""
    stderr().print(message, soft_wrap=True)


def table() -> Table:
    """A table as ``bookingctl`` prints them: a rule under the header, no frame."""
    from rich import box
    from rich.table import Table

    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)


class Steps:
    """The steps of a command that take more than a second, one line each on stderr.

    On a terminal each line's spinner turns while its step runs; in a log the finished
    list (with the time each step took) is written once, when the display stops.
    ``step(description)`` yields a :data:`Note` that rewrites the step's line (e.g. with
    what it found). Steps may run in threads at the same time. Print results after
    ``stop()``: the display is on stderr and does not capture stdout.
    """

    def __init__(self) -> None:
        from rich.progress import Progress, TextColumn

        self._progress = Progress(
            _mark_column(),
            TextColumn("{task.description}", markup=False),
            _seconds_column(),
            console=stderr(),
            redirect_stdout=False,
        )

    def __enter__(self) -> Steps:
        self._progress.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the display (again is harmless): what is printed next comes after it."""
        self._progress.stop()

    @contextmanager
    def step(self, description: str) -> Iterator[Note]:
        task = self._progress.add_task(description, total=1)

        def note(text: str) -> None:
            self._progress.update(task, description=text)

        try:
            yield note
        except BaseException:
            self._progress.update(task, failed=True)
            self._progress.stop_task(task)
            raise
        self._progress.update(task, completed=1)


def _seconds_column() -> ProgressColumn:
    """How long the step took (took so far), to a tenth of a second: start-up steps are
    seconds long, and ``benchmarks/devstack_startup.py`` reads them from the log."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class Seconds(ProgressColumn):
        def render(self, task: Task) -> Text:
            elapsed = task.finished_time if task.finished else task.elapsed
            return Text(f"{elapsed or 0.0:.1f}s", style="progress.elapsed")

    return Seconds()


def _mark_column() -> ProgressColumn:
    """A spinner while the step runs, a tick once it is done, a cross if it failed.

    Declared here, not at module level, because it subclasses a Rich class."""
    from rich.progress import ProgressColumn, SpinnerColumn, Task
    from rich.text import Text

    class Mark(ProgressColumn):
        def __init__(self) -> None:
            super().__init__()
            self._spinner = SpinnerColumn(finished_text=Text("✓", style="green"))

        def render(self, task: Task) -> Text:
            if task.fields.get("failed"):
                return Text("✗", style="red")
            rendered = self._spinner.render(task)
            return rendered if isinstance(rendered, Text) else Text(str(rendered))

    return Mark()
