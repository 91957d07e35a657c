"""What a refresh run from the command line shows: one line per step on the terminal, everything in a file.

`progress_logger` is a Dagster logger: it writes every log record of the run to the run's log file and, when a
step ends, one line with the step, its outcome, what it did (for raw feeds: files loaded, months changed) and
its time. The CLI attaches it to the job it runs; Dagster's own console logger stays off.
"""

import logging
import sys
import time
from contextlib import contextmanager

import dagster as dg

_terminal = [sys.__stdout__]  # where step lines go; the CLI points it at its stdout before redirecting that
STEP_EVENTS = {"STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "ASSET_MATERIALIZATION"}


class _StepLines(logging.Handler):
    """Writes one line per finished step to `stream`."""

    def __init__(self, stream):
        super().__init__(level=logging.DEBUG)
        self.stream, self.started, self.details = stream, {}, {}

    def emit(self, record: logging.LogRecord) -> None:
        event = (getattr(record, "dagster_meta", None) or {}).get("dagster_event")
        if event is None or event.event_type_value not in STEP_EVENTS:
            return
        step = event.step_key
        if event.event_type_value == "STEP_START":
            self.started[step] = time.monotonic()
        elif event.event_type_value == "ASSET_MATERIALIZATION":
            self.details[step] = _detail(event.event_specific_data.materialization.metadata)
        else:
            seconds = time.monotonic() - self.started.get(step, time.monotonic())
            outcome = "ok" if event.event_type_value == "STEP_SUCCESS" else "FAILED"
            detail = self.details.get(step, "")
            self.stream.write(
                f"  {step.replace('__', '/'):<42} {outcome:<6} {seconds:5.1f} s  {detail}".rstrip() + "\n"
            )
            self.stream.flush()


def _detail(metadata: dict) -> str:
    """A few words on what a raw feed step did (empty for other steps)."""
    if "files_unchanged" not in metadata:
        return ""
    removed = metadata["files_removed"].value
    loaded = metadata["files_loaded"].value.count("\n") - 1 - removed  # rows of the markdown table
    parts = [f"{loaded} file(s) loaded", *([f"{removed} removed"] if removed else [])]
    parts.append(f"{metadata['files_unchanged'].value} unchanged")
    if duplicates := len(metadata["duplicates"].value):
        parts.append(f"{duplicates} duplicate(s) not loaded")
    return f"{', '.join(parts)}, changed: {metadata['months_changed'].value}"


@dg.logger(config_schema={"log_file": str})
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("refresh", level=logging.DEBUG)
    file_handler = logging.FileHandler(init_context.logger_config["log_file"], encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(file_handler)
    logger.addHandler(_StepLines(_terminal[-1]))
    return logger


@contextmanager
def steps_to(stream):
    """Send the step lines of runs started inside the block to `stream`."""
    _terminal.append(stream)
    try:
        yield
    finally:
        _terminal.pop()
