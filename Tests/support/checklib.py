"""What the end-to-end checks share: a tally of expectations, printed as a one-line
summary, a local HTTP server, a headless Chromium session driven by selenium, axe-core on its
page, and the colour scheme it emulates."""
import functools
import http.server
import shutil
import threading

problems = []
checks = 0


def expect(condition, what):
    """Counts one check; records and prints `what` when `condition` does not hold."""
    global checks
    checks += 1
    if not condition:
        problems.append(what)
        print("FAIL:", what, flush=True)


def summary(name, where):
    """Prints every problem and the tally; returns the exit status (1 on any problem)."""
    for problem in problems:
        print(problem)
    print(f"{name}: {checks} checks {where}, {len(problems)} problems")
    return 1 if problems else 0


def serve(directory, handler, prefix="/"):
    """A threaded server of `directory` on a free loopback port with `handler` (a subclass of
    SimpleHTTPRequestHandler); returns it and its base URL, ending in `prefix`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=directory))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


def chromium(window="1200,900", logs=False):
    """A headless Chromium; with `logs`, its console and network logs can be read back."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={window}"]:
        options.add_argument(argument)
    if logs:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)


def run_axe(driver, axe_source, what):
    """Injects axe-core into the driver's page and counts one check: no violation."""
    driver.execute_script(axe_source)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations'], preload: false}).then(r => done(r.violations.map(v => "
        "v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))"
        ".catch(e => done(['axe failed: ' + e]));")
    expect(not result, f"axe on {what}: {result}")


def dark_mode(driver, on):
    """Emulates prefers-color-scheme: dark (or the default again)."""
    features = [{"name": "prefers-color-scheme", "value": "dark"}] if on else []
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": features})
