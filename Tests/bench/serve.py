#!/usr/bin/env python3
"""`quizdoc serve` on the 1,000-phase corpus (loopback only, every loop bounded):

- save → reload event: from writing a one-question edit to the `built` event reaching a
  client, median of 10 (the server's 200 ms debounce included);
- pages per second: `wrk` for 10 s, 2 threads, 32 connections, on one phase page;
- memory over rebuilds: the server's RSS after every 50 of 300 edit-and-rebuild rounds.

Usage: serve.py QUIZDOC_BINARY TEMPLATES_DIR [--phases 1000] [--rounds 300]
"""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Events:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.sendall(f"GET /__quizdoc/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self.buffer = b""

    def wait(self, name, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            match = re.search(rb"event: (\w+)\r?\n", self.buffer)
            if match:
                self.buffer = self.buffer[match.end():]
                if match.group(1).decode() == name:
                    return True
                continue
            self.sock.settimeout(max(deadline - time.monotonic(), 0.01))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return False
            if not chunk:
                return False
            self.buffer += chunk
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("templates")
    parser.add_argument("--phases", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=300)
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)
    folder = tempfile.mkdtemp(prefix="quizdoc-serve-bench-")
    process = None
    try:
        shutil.copytree(options.templates, os.path.join(folder, "templates"))
        subprocess.run([binary, "corpus", "--phases", str(options.phases), folder], check=True, stdout=subprocess.DEVNULL)
        process = subprocess.Popen([binary, "serve", "--port", "0"], cwd=folder, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        port = None
        deadline = time.monotonic() + 120
        while port is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if match:
                port = int(match.group(1))
        if port is None:
            sys.exit("serve bench: the server did not start")
        events = Events(port)
        edited = os.path.join(folder, "data/quizzes", sorted(os.listdir(os.path.join(folder, "data/quizzes")))[0])
        text = open(edited, encoding="utf-8").read()

        def save(version):
            temporary = edited + ".swp"
            open(temporary, "w", encoding="utf-8").write(text.replace("kernel", f"kernel{version}", 1))
            os.rename(temporary, edited)

        latencies = []
        for round_ in range(10):
            start = time.monotonic()
            save(round_)
            if not events.wait("built"):
                sys.exit("serve bench: no built event within 30 s")
            latencies.append(time.monotonic() - start)
        page = sorted(os.listdir(os.path.join(folder, "docs-out/site/quizzes")))[0]
        wrk = subprocess.run(["wrk", "-t2", "-c32", "-d10s", f"http://127.0.0.1:{port}/quizzes/{page}"],
                             capture_output=True, text=True, timeout=60)
        rate = re.search(r"Requests/sec:\s+([\d.]+)", wrk.stdout)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk.stdout)
        curve = [(0, rss_mb(process.pid))]
        for round_ in range(1, options.rounds + 1):
            save(100 + round_ % 2)
            if not events.wait("built"):
                sys.exit(f"serve bench: round {round_} did not build")
            if round_ % 50 == 0:
                curve.append((round_, rss_mb(process.pid)))
        print(f"serve, {options.phases} phases: save → reload event median {statistics.median(latencies) * 1000:.0f} ms "
              f"(min {min(latencies) * 1000:.0f}, max {max(latencies) * 1000:.0f}, 200 ms of it the debounce); "
              f"{float(rate.group(1)) if rate else 0:.0f} pages/s over loopback with wrk (2 threads, 32 connections, 10 s"
              f"{', ' + non2xx.group(1) + ' non-2xx' if non2xx else ''})")
        print("serve RSS over rebuilds: " + ", ".join(f"{n}: {mb:.0f} MB" for n, mb in curve))
    finally:
        if process and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
