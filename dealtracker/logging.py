"""Log lines as JSON objects, one per line, for the log collector (LOG_FORMAT=json)."""

import datetime
import json
import logging


class JsonFormatter(logging.Formatter):
    """time, level, logger and message; the request's path and the response status when
    Django's request loggers pass them; the traceback when there is one."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path is not None:
            entry["path"] = path
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
