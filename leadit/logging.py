"""Structured logs: one JSON object a line on stdout."""

import json
import logging


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("status_code", "request_method", "path"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        request = getattr(record, "request", None)
        if request is not None and "path" not in entry:
            entry["path"] = getattr(request, "path", None)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
