#!/usr/bin/env python3
# tests/ui/test-tabs-cli.py
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Command-line targets land in tabs (issue 15): a target given to the running
Tincan opens as a tab of its focused window, not a window of its own; --new-window
opens a window. Each tab is its own conversation: a server the test starts on
127.0.0.1 counts the connections that stay open at once while the app's windows
are counted over X.  usage: test-tabs-cli.py TINCAN-BINARY"""

import os
import subprocess
import socket
import tempfile
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tincanprobe import App, Deadline  # noqa: E402
from Xlib import display  # noqa: E402

results = []


def check(ok, text, detail=""):
    results.append(ok)
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), text))
    if not ok and detail:
        print("# " + detail.replace("\n", "\n# "))
    sys.stdout.flush()


class HoldServer:
    """Accepts TCP connections on 127.0.0.1 and holds them open."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held = []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def wait_held(self, count):
        Deadline(30).wait(lambda: len(self.held) >= count, "%d connections" % count)

    def shutdown(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


def main():
    if not os.environ.get("DISPLAY"):
        print("Bail out! no X display: run under xvfb-run, as build-aux/dev test does")
        return 1
    exe = sys.argv[1]
    keeper = display.Display()
    print("1..7")
    server = HoldServer()
    target = "127.0.0.1:%d" % server.port
    app = App(exe, [target])
    try:
        app.wait_windows(1)
        server.wait_held(1)

        status = app.again([target])
        server.wait_held(2)
        check(status == 0 and len(app.windows()) == 1,
              "a second target opens a tab: %d connections, %d window(s), status %d"
              % (len(server.held), len(app.windows()), status))

        status = app.again(["--new-window", target])
        app.wait_windows(2)
        server.wait_held(3)
        check(status == 0 and len(app.windows()) == 2,
              "--new-window opens a window: %d connections, %d windows"
              % (len(server.held), len(app.windows())))

        status = app.again([])
        check(status == 0 and len(app.windows()) == 2,
              "no arguments: nothing new opens (%d windows)" % len(app.windows()))

        status = app.again(["--framing=bogus", target])
        check(status == 2, "a bad argument still exits 2 (%d)" % status)

        check(len(server.held) == 3 and app.alive(), "every tab kept its own connection open")

        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.tincan-workspace")
            with open(bad, "w") as f:
                f.write("[Workspace]\nVersion=1\n\n[Tab 1]\nHost=example.org\nPort=7\n"
                        "Transport=tpc\n")
            other = subprocess.run([exe, "--workspace=" + bad], env=app.env,
                                   capture_output=True, timeout=30)
            err = other.stderr.decode(errors="replace")
            check(other.returncode == 2 and "Line 7" in err and len(app.windows()) == 2,
                  "a bad workspace opens nothing and names the line: %d, %r"
                  % (other.returncode, err.strip()))

            good = os.path.join(tmp, "good.tincan-workspace")
            with open(good, "w") as f:
                f.write("[Workspace]\nVersion=1\n\n[Tab 1]\nHost=127.0.0.1\nPort=%d\n"
                        "\n[Tab 2]\nHost=::1\nPort=9\n" % server.port)
            status = app.again(["--workspace=" + good])
            app.wait_windows(3)
            check(status == 0 and len(server.held) == 3,
                  "a workspace opens a window with its tabs, not connected (%d connections)"
                  % len(server.held))
    finally:
        app.close()
        server.shutdown()
        keeper.close()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
