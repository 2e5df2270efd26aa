#!/usr/bin/env python3
"""`quizdoc serve` end to end, loopback only, every wait bounded by a deadline:

- pages and assets over HTTP: status, content type with charset, ETag -> 304, HEAD, the 404
  page with status 404, no directory listing;
- traversal and tricks: /../, %2e%2e/, ..%2f, //etc, a symlink out of the site, a foreign Host;
- the served HTML less the injected script is the built file, byte for byte;
- an edit -> one `built` event naming the page, and the new page served; a burst of 10 saves
  -> one rebuild; a broken YAML -> an `errors` event with the place and the source line, the
  old page still served; fixed -> built again;
- in headless Chromium: an open page reloads by itself after an edit, keeping its #anchor
  and its open answer; a broken file shows the overlay, a fix removes it;
- SIGTERM -> exit 0 and no leftovers.

Usage: check_serve.py QUIZDOC_BINARY PROJECT_DIR   (exit 1 on any problem)
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checklib import chromium, expect, summary  # noqa: E402


class Server:
    def __init__(self, binary, project):
        self.project = project
        self.process = subprocess.Popen([binary, "serve", "--port", "0"], cwd=project, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        self.port = None
        self.output = []
        while time.monotonic() < deadline and self.port is None:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if match:
                self.port = int(match.group(1))
        if self.port is None:
            raise SystemExit("check_serve: the server did not say where it listens: " + "".join(self.output))

    def request(self, path, method="GET", headers=None, raw=False):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        if raw:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in (headers or {"Host": f"127.0.0.1:{self.port}"}).items():
                connection.putheader(name, value)
            connection.endheaders()
        else:
            connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body


class Events:
    """The server's event stream, read line by line with a deadline."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(f"GET /__quizdoc/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self.buffer = b""

    def next(self, seconds):
        """The next (event, data) within `seconds`, or None."""
        deadline = time.monotonic() + seconds
        while True:
            match = re.search(rb"event: (\w+)\r?\ndata: ([^\r\n]*)\r?\n", self.buffer)
            if match:
                self.buffer = self.buffer[match.end():]
                return match.group(1).decode(), json.loads(match.group(2).decode())
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                return None
            self.buffer += chunk

    def close(self):
        self.sock.close()


def edit(project, old, new):
    path = os.path.join(project, "data/quizzes/phase-26-quantization.yaml")
    text = open(path, encoding="utf-8").read()
    assert old in text, old
    # Write and rename, as editors do.
    temporary = path + ".swp"
    open(temporary, "w", encoding="utf-8").write(text.replace(old, new, 1))
    os.rename(temporary, path)


def main(binary, source):
    binary = os.path.abspath(binary)
    work = tempfile.mkdtemp(prefix="quizdoc-serve-")
    project = os.path.join(work, "project")
    shutil.copytree(os.path.join(source, "data"), os.path.join(project, "data"))
    shutil.copytree(os.path.join(source, "templates"), os.path.join(project, "templates"))
    server = Server(binary, project)
    try:
        http_checks(server, project)
        event_checks(server, project)
        browser_checks(server, project)
        server.process.send_signal(signal.SIGTERM)
        try:
            code = server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            code = None
        expect(code == 0, f"SIGTERM ends the server with exit 0 (got {code})")
        # Staging folders and temporary files are leftovers; the spare site (.site-spare, the
        # site the last rebuild replaced, staged in by the next one) is kept on purpose.
        leftovers = [n for n in os.listdir(os.path.join(project, "docs-out")) if n.startswith(".site-staging-") or ".tmp-quizdoc-" in n]
        expect(not leftovers, f"no leftovers after stopping: {leftovers}")
    finally:
        if server.process.poll() is None:
            server.process.kill()
        shutil.rmtree(work, ignore_errors=True)
    return summary("check_serve", "over HTTP and in headless Chromium")


def http_checks(server, project):
    site = os.path.join(project, "docs-out/site")
    status, headers, body = server.request("/quizzes/phase-26-quantization.html")
    expect(status == 200, f"a page: {status}")
    expect(headers.get("content-type") == "text/html; charset=utf-8", f"page content type: {headers.get('content-type')}")
    built = open(os.path.join(site, "quizzes/phase-26-quantization.html"), "rb").read()
    tag = b'<script src="/__quizdoc/live.js" defer></script>\n'
    expect(tag in body and body.replace(tag, b"", 1) == built, "the served page less the injected script is the built file")
    etag = headers.get("etag")
    status, _, body = server.request("/quizzes/phase-26-quantization.html", headers={"If-None-Match": etag})
    expect(status == 304 and body == b"", f"If-None-Match -> 304: {status}")
    status, headers, body = server.request("/assets/style.css", method="HEAD")
    expect(status == 200 and body == b"" and headers.get("content-length") == str(os.path.getsize(os.path.join(site, "assets/style.css"))),
           f"HEAD: {status}, {headers.get('content-length')}")
    expect(headers.get("content-type") == "text/css; charset=utf-8", "css content type")
    status, headers, _ = server.request("/assets/site.js")
    expect(headers.get("content-type") == "text/javascript; charset=utf-8", "js content type")
    status, _, body = server.request("/")
    expect(status == 200 and body.replace(tag, b"", 1) == open(os.path.join(site, "index.html"), "rb").read(), "/ serves index.html")
    status, _, body = server.request("/es/")
    expect(status == 200 and b'lang="es"' in body, "/es/ serves the Spanish home")
    status, headers, body = server.request("/no/such/page.html")
    expect(status == 404 and b"<html" in body, f"a missing page: 404 with the 404 page ({status})")
    status, _, _ = server.request("/assets/")
    expect(status == 404, f"no directory listing: {status}")
    os.symlink("/etc", os.path.join(site, "outside"))
    for path in ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd", "//etc/passwd",
                 "/outside/passwd", "/quizzes/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%00", "/assets/..%5c..%5cx"]:
        status, _, body = server.request(path, raw=True)
        expect(status in (400, 404) and b"root:" not in body, f"{path}: {status}")
    status, _, _ = server.request("/index.html", headers={"Host": "evil.example"}, raw=True)
    expect(status == 400, f"a foreign Host is refused on loopback: {status}")
    status, _, _ = server.request("/index.html", method="POST")
    expect(status == 405, f"POST: {status}")


def event_checks(server, project):
    events = Events(server.port)
    edit(project, "In one sentence, why is INT8", "In one sentence, why exactly is INT8")
    event = events.next(15)
    expect(event is not None and event[0] == "built" and "quizzes/phase-26-quantization.html" in event[1]["changed"],
           f"an edit sends one built event naming the page: {event}")
    expect("quizzes/phase-27-kv-cache.html" not in (event or ("", {"changed": []}))[1]["changed"], "other phases stay put")
    _, _, body = server.request("/quizzes/phase-26-quantization.html")
    expect(b"why exactly is INT8" in body, "the changed page is served")

    # A burst of ten saves is one rebuild.
    for i in range(10):
        edit(project, "why exactly" if i == 0 else f"why burst{i - 1}", f"why burst{i}")
    first = events.next(15)
    expect(first is not None and first[0] == "built", f"the burst builds: {first}")
    expect(events.next(1.5) is None, "the burst builds once")
    _, _, body = server.request("/quizzes/phase-26-quantization.html")
    expect(b"why burst9 is INT8" in body, "the burst's last save is served")

    # A broken file: errors for the overlay, the old page still served; fixed: built again.
    source = open(os.path.join(project, "data/quizzes/phase-26-quantization.yaml"), encoding="utf-8").read()
    line = source.split("\n").index("phase: 26") + 1
    edit(project, "phase: 26", "phase: 26x")
    event = events.next(15)
    expect(event is not None and event[0] == "errors", f"a broken file sends errors: {event}")
    if event and event[0] == "errors":
        error = event[1]["errors"][0]
        expect(error["location"] == f"data/quizzes/phase-26-quantization.yaml:{line}:8" and error["source"] == "phase: 26x"
               and error["column"] == 8, f"the error has its place and source line: {error}")
    _, _, body = server.request("/quizzes/phase-26-quantization.html")
    expect(b"why burst9 is INT8" in body, "the last good page is still served")
    # A new page connecting while it is broken gets the errors at once.
    late = Events(server.port)
    event = late.next(5)
    expect(event is not None and event[0] == "errors", "a page opened while broken gets the errors")
    late.close()
    edit(project, "phase: 26x", "phase: 26")
    event = events.next(15)
    expect(event is not None and event[0] == "built", f"fixing it builds again: {event}")
    events.close()


def browser_checks(server, project):
    from selenium.webdriver.support.ui import WebDriverWait
    driver = chromium(window="1000,800")
    def became(condition, seconds=15):
        """Whether `condition` holds within `seconds` (polled by WebDriverWait)."""
        try:
            WebDriverWait(driver, seconds).until(lambda d: condition())
            return True
        except Exception:
            return False
    try:
        url = f"http://127.0.0.1:{server.port}/quizzes/phase-26-quantization.html#q-26-04"
        driver.get(url)
        expect(became(lambda: driver.execute_script("return !!(window.QUIZDOC_LIVE && document.querySelector('.practice-bar'))")),
               "the page loads with the live script")
        driver.execute_script("document.querySelector('#q-26-04 details').open = true; window.quizdocMarker = 1;")
        edit(project, "GPTQ's quantization step differs", "GPTQ's quantization step truly differs")
        reloaded = became(lambda: driver.execute_script("return window.quizdocMarker === undefined && document.readyState === 'complete'"))
        expect(reloaded, "an open page reloads by itself after an edit")
        became(lambda: driver.execute_script("return !!window.QUIZDOC_LIVE"))
        expect("truly differs" in driver.find_element("css selector", "#q-26-04 .prompt").text, "the reloaded page shows the edit")
        expect(driver.execute_script("return location.hash") == "#q-26-04", "the anchor is kept")
        expect(driver.execute_script("return document.querySelector('#q-26-04 details').open") is True, "the open answer stays open")
        edit(project, "phase: 26", "phase: 26x")
        shown = became(lambda: driver.execute_script("return !!document.getElementById('quizdoc-errors')"))
        expect(shown, "a broken file shows the overlay")
        if shown:
            text = driver.find_element("id", "quizdoc-errors").text
            expect(re.search(r"phase-26-quantization\.yaml:\d+:8", text) and "phase: 26x" in text and "^" in text,
                   f"the overlay shows place, source and caret: {text[:200]!r}")
        edit(project, "phase: 26x", "phase: 26")
        gone = became(lambda: driver.execute_script("return !document.getElementById('quizdoc-errors')"))
        expect(gone, "the overlay goes away when the file is fixed")
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
