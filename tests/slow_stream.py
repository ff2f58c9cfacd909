"""A WSGI application that streams for longer than the worker timeout it is served
with (tests/test_serving.py): what the CSV of the whole record does at a million deals."""

import time

PIECES, PAUSE = 8, 0.5


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    for n in range(PIECES):
        time.sleep(PAUSE)
        yield f"piece {n}\n".encode()
