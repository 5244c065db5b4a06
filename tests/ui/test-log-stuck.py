#!/usr/bin/python3
# tests/ui/test-log-stuck.py
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A traffic log the app cannot write, seen from outside the process (issue 11,
# items 2 and 4): --log=/dev/stdout into a pipe nobody reads, under a flood,
# must not hold unbounded memory; closing that window must not stall a second
# window (_NET_WM_PING), and the process must exit promptly once the last
# window is closed, with status 3 and a word on stderr. --log=/dev/full and a
# pipe whose reader went away (EPIPE, not SIGPIPE) end the same way. Prints TAP.
# usage: test-log-stuck.py TINCAN-EXECUTABLE

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tincanprobe import App, Deadline, FloodServer, PingProbe, lines  # noqa: E402
from Xlib import X, display, protocol  # noqa: E402

EXIT_LOG_FAILED = 3
# main() waits 2 s for a stuck log; what more is allowed for the process to end.
EXIT_SECONDS = 6
# The log queue's bound is 64 MiB; the transcript keeps 100,000 entries besides.
RSS_LIMIT_MIB = 400
# Closing a window must not wait on its writer: a second window keeps answering
# (before the fix it did not for as long as the writer was stuck). An
# AddressSanitizer build takes over a second to free a closed window's transcript.
STALL_LIMIT_MS = 500
STALL_LIMIT_SANITIZED_MS = 5000

results = []


def check(ok, text, detail=""):
    results.append(ok)
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), text))
    if not ok and detail:
        print("# " + detail.replace("\n", "\n# "))
    sys.stdout.flush()


def skip(text):
    results.append(True)
    print("ok %d # SKIP %s" % (len(results), text))
    sys.stdout.flush()


def close_window(app, win):
    """What a window manager does when the user clicks the close button."""
    wm_protocols = app.display.intern_atom("WM_PROTOCOLS")
    delete = app.display.intern_atom("WM_DELETE_WINDOW")
    event = protocol.event.ClientMessage(window=win, client_type=wm_protocols,
                                         data=(32, [delete, X.CurrentTime, 0, 0, 0]))
    win.send_event(event, event_mask=X.NoEventMask)
    app.display.flush()


class OnlyWindow:
    """An App as PingProbe sees it, with one window of it."""

    def __init__(self, app, win):
        self.app = app
        self.win = win

    def windows(self, disp=None):
        return [self.win] if self.win.id in [w.id for w in self.app.windows(disp)] else []


def wait_exit(app, seconds):
    """Returns the exit status and how long the process took to end."""
    start = time.monotonic()
    Deadline(seconds).wait(lambda: app.proc.poll() is not None, "tincan to exit")
    return app.proc.returncode, time.monotonic() - start


def sanitized(exe):
    """Whether EXE was built with AddressSanitizer (it needs libasan)."""
    with open(exe, "rb") as binary:
        return b"libasan.so" in binary.read()


def stderr_of(app):
    return app.printed(1 << 20)


def finish(app):
    """Stops the app if a check left it running."""
    if app.proc.poll() is None:
        app.close()
    else:
        app.display.close()


def test_stuck_pipe(exe):
    # Nobody reads the app's stdout: App keeps the pipe open and never reads it.
    # 32,000 lines of 4 KiB (131 MB), entries of the size a row shows: twice the
    # log's bound. An AddressSanitizer build reads 4,000 (the writer is stuck
    # either way, and its RSS is not checked).
    count = 4_000 if sanitized(exe) else 32_000
    server = FloodServer(lambda: lines(count, width=4096), close=False)
    app = App(exe, ["--log=/dev/stdout", "--framing=lf", "127.0.0.1:%d" % server.port],
              stdout_pipe=True)
    probe = None
    try:
        first = app.wait_windows(1)[0]
        # The log's 64 MiB queue fills; what does not fit is dropped.
        Deadline(120).wait(lambda: server.finished.is_set() and server.unread() == 0,
                           "the app to read the flood")
        peak = app.peak_rss_mib()
        if sanitized(exe):
            skip("peak RSS %.0f MiB: AddressSanitizer's quarantine keeps freed memory" % peak)
        else:
            check(peak < RSS_LIMIT_MIB,
                  "peak RSS %.0f MiB with a stuck log under 131 MB of lines (limit %d)"
                  % (peak, RSS_LIMIT_MIB))

        app.again(["--new-window", "--local-echo"])
        wins = app.wait_windows(2)
        second = [w for w in wins if w.id != first.id][0]
        # Pings go to the second window only: one sent to the first as it goes
        # would never be answered.
        probe = PingProbe(OnlyWindow(app, second))
        probe.start()
        Deadline(30).wait(lambda: len(probe.samples) >= 10, "10 answered pings")
        close_window(app, first)
        Deadline(30).wait(lambda: len(app.windows()) == 1, "the first window to close")
        before = len(probe.samples)
        Deadline(30).wait(lambda: len(probe.samples) >= before + 10, "pings after the close")
        worst = probe.stop()
        probe = None
        limit = STALL_LIMIT_SANITIZED_MS if sanitized(exe) else STALL_LIMIT_MS
        check(worst < limit,
              "the second window answers while the first closes (longest ping %.0f ms, limit %d)"
              % (worst, limit))

        close_window(app, second)
        status, took = wait_exit(app, 30)
        err = stderr_of(app)
        check(status == EXIT_LOG_FAILED and took < EXIT_SECONDS,
              "closing the last window ends the process in %.1f s (limit %d) with status %d"
              % (took, EXIT_SECONDS, status), err[-3000:])
        check("“/dev/stdout”" in err and "%d entries not written" % count in err,
              "stderr says what was not written: %r" % err.strip()[:200])
    finally:
        if probe is not None:
            probe.stop()
        finish(app)
        server.shutdown()


def test_failed_write(exe, log, close_stdout, expect):
    server = FloodServer([b"one line\n" * 100], close=False)
    app = App(exe, ["--log=" + log, "--framing=lf", "127.0.0.1:%d" % server.port],
              stdout_pipe=log == "/dev/stdout")
    try:
        if close_stdout:
            # The reader goes away: the log's writes fail with EPIPE.
            app.proc.stdout.close()
        win = app.wait_windows(1)[0]
        # Read means logged: the window hands each batch to the log as it comes.
        server.wait_read(30)
        close_window(app, win)
        status, took = wait_exit(app, 30)
        err = stderr_of(app)
        check(status == EXIT_LOG_FAILED,
              "--log=%s%s: exit status %d after %.1f s"
              % (log, " with its reader gone" if close_stdout else "", status, took), err[-3000:])
        check(expect in err, "stderr names the failure (%r): %r" % (expect, err.strip()[:200]))
    finally:
        finish(app)
        server.shutdown()


def main():
    if not os.environ.get("DISPLAY"):
        print("Bail out! no X display: run under xvfb-run, as build-aux/dev test does")
        return 1
    exe = sys.argv[1]
    # Xvfb resets when its last client goes, and a connection made meanwhile is
    # refused: one connection stays open from the first app to the last.
    keeper = display.Display()
    print("1..8")
    test_stuck_pipe(exe)
    test_failed_write(exe, "/dev/full", False, "Could not write the log file “/dev/full”")
    test_failed_write(exe, "/dev/stdout", True, "Broken pipe")
    keeper.close()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
