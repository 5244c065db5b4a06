#!/usr/bin/python3
# tests/ui/test-hostile-window.py
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The hostile catalogue, for the real window (issue 11): hostile peers flood the
# running app, in one and in several conversations (several windows of one
# process: a second `tincan TARGET` opens one), and the window is watched from
# outside as a user would meet it: peak RSS (VmHWM) against the transcript's
# budget, and the longest main-loop stall as the longest _NET_WM_PING round trip.
# Prints TAP.
#
# Sizes are bounded so the suite takes well under a minute; under a sanitizer
# (TINCAN_SANITIZED=1, set by tests/meson.build) they are divided by SCALE, two
# windows stand for several, and the bounds give way to checking that the app
# survived (ASan's quarantine keeps freed memory, and it slows the
# main loop unevenly: 2.3 s stalls were seen); the floods still run, for ASan.
#
# usage: test-hostile-window.py TINCAN-EXECUTABLE

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tincanprobe import App, Deadline, FloodServer, PingProbe, lines, one_line  # noqa: E402
from Xlib import X, XK  # noqa: E402
from Xlib.ext import xtest  # noqa: E402

MIB = 1 << 20
SANITIZED = os.environ.get("TINCAN_SANITIZED") == "1"
SCALE = 8 if SANITIZED else 1

# The decoder's maximum frame: a longer line arrives in pieces of this size.
MAX_FRAME = 16 * MIB
# What the window may hold besides its transcript while a flood comes in: the
# decoder's frame and the message made of it, and the pieces in flight.
SLACK_MIB = 4 * MAX_FRAME // MIB + 32

LONG_LINE = (1 << 30) // SCALE          # issue 11, item 1: one 1 GiB LF line
BUDGET = 32 * MIB                       # a budget set for the test, far below the flood
BUDGET_FLOOD_LINES = 100000 // SCALE    # 4 KiB lines: 400 MB without a budget
FLOOD_MIB = 32 if not SANITIZED else 1  # per window, for the stall
# Issue 11, item 8: 20 busy conversations (windows of one process), 8 MiB each
# so that opening and flooding them stays within a few seconds.
N_WINDOWS = 20 if not SANITIZED else 2
N_WINDOWS_FLOOD_MIB = 8 if not SANITIZED else 1

# Measured 35-60 ms on this 2-core VM (5 ms on an idle desktop): the bound
# leaves room for CI's noise while catching a window that stops painting
# under a flood.
ONE_WINDOW_STALL_MS = 150
# Views flush in turns, one per main-loop iteration for the whole process,
# so 20 busy windows stall no longer than one: the same bound (it was 412 ms
# with 20 windows, 303 ms here, before the turns).
N_WINDOWS_STALL_MS = ONE_WINDOW_STALL_MS
# Issue 11, item 9: a 5 MB line pasted into the composer (1.5 s without an
# answer, twice, before it was held instead of shown).
PASTE_BYTES = 5 * 1000 * 1000 // SCALE

# Owns the X clipboard with PASTE_BYTES of text on one line (GTK serves it in
# INCR pieces), says "ready", and serves it until it is killed.
CLIPBOARD_OWNER = r"""
import sys, gi
gi.require_version("Gdk", "4.0")
gi.require_version("Gtk", "4.0")
from gi.repository import Gdk, GLib, Gtk
Gtk.init()
size = int(sys.argv[1])
text = ("0123456789 abcdefghijklmnopqrstuvwxyz " * (size // 38 + 1))[:size]
provider = Gdk.ContentProvider.new_for_bytes("text/plain;charset=utf-8",
                                             GLib.Bytes.new(text.encode()))
Gdk.Display.get_default().get_clipboard().set_content(provider)
print("ready", flush=True)
GLib.MainLoop().run()
"""

# Far above what reading a flood takes here (under 20 s), far below the
# test's timeout: an app that stopped reading fails the subtest with what it printed.
READ_SECONDS = 90

results = []


def report(ok, description):
    results.append(ok)
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), description))
    sys.stdout.flush()


def report_measure(ok, description, app):
    """A bound on RSS or time means nothing under ASan, whose quarantine keeps
    freed memory (256 MiB by default) and which slows the main loop by a varying
    factor: there the floods still run, the figure is printed, and what is
    checked is that the app is still running (ASan stops it at the first error)."""
    if SANITIZED:
        report(app.proc.poll() is None,
               "%s (bound not checked under ASan: quarantine, slowdown; the app runs on)"
               % description)
    else:
        report(ok, description)


class Settings:
    """A private keyfile settings backend, so the app starts with chosen settings."""

    def __init__(self, **keys):
        self.dir = tempfile.mkdtemp(prefix="tincan-hostile-window-")
        path = os.path.join(self.dir, "glib-2.0", "settings")
        os.makedirs(path)
        with open(os.path.join(path, "keyfile"), "w") as keyfile:
            keyfile.write("[io/github/tincan/Tincan]\n")
            for key, value in keys.items():
                keyfile.write("%s=%s\n" % (key.replace("_", "-"), value))
        self.env = {"GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": self.dir}

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def flood_app(exe, payload, clients=1, env=None):
    """Starts a flood server and the app connected to it with LF framing, one
    window per client. Returns (app, server, idle RSS in MiB)."""
    server = FloodServer(payload, clients=clients)
    target = "127.0.0.1:%d" % server.port
    app = App(exe, ["--framing=lf", target], env=env)
    app.wait_windows(1)
    idle = app.rss_mib()
    for n in range(2, clients + 1):
        status = app.again(["--new-window", "--framing=lf", target])
        if status != 0:
            raise RuntimeError("a second tincan exited with %d" % status)
        app.wait_windows(n)
    return app, server, idle


def test_long_line(exe):
    """Issue 11, item 1: one 1 GiB line made RSS 1.1 GB, and it stayed."""
    app, server, idle = flood_app(exe, lambda: one_line(LONG_LINE))
    try:
        server.wait_read(READ_SECONDS, app)
        peak = app.peak_rss_mib() - idle
        after = app.rss_mib() - idle
        report_measure(peak < SLACK_MIB,
               "a %d MiB line: peak RSS %.0f MiB over idle (%.0f MiB), at most %d MiB; "
               "%.0f MiB over idle afterwards" % (LONG_LINE // MIB, peak, idle, SLACK_MIB, after),
               app)
    finally:
        app.close()
        server.shutdown()


def test_budget(exe):
    """Issue 11, item 1: the transcript held up to 100,000 entries with no byte cap."""
    settings = Settings(transcript_budget="uint64 %d" % BUDGET)
    app, server, idle = flood_app(exe, lambda: lines(BUDGET_FLOOD_LINES, 4096),
                                  env=settings.env)
    try:
        server.wait_read(READ_SECONDS, app)
        peak = app.peak_rss_mib() - idle
        bound = BUDGET // MIB + SLACK_MIB
        report_measure(peak < bound,
               "%d lines of 4 KiB (%d MiB) with a %d MiB budget: peak RSS %.0f MiB over idle, "
               "at most %d MiB" % (BUDGET_FLOOD_LINES, BUDGET_FLOOD_LINES * 4096 // MIB,
                                   BUDGET // MIB, peak, bound), app)
    finally:
        app.close()
        server.shutdown()
        settings.remove()


def gated(go, chunks):
    """CHUNKS, once GO is set: the flood starts when the probe is ready."""
    go.wait(60)
    yield from chunks


def test_stall(exe, windows, bound_ms, flood_mib=FLOOD_MIB):
    """The longest time the window(s) did not answer the window manager while
    WINDOWS conversations were flooded with FLOOD_MIB of 64-byte lines each."""
    count = flood_mib * MIB // 64
    go = threading.Event()
    app, server, idle = flood_app(exe, lambda: gated(go, lines(count, 64)), clients=windows)
    probe = PingProbe(app)
    try:
        probe.start()
        # Windows that have just been mapped take a few frames to settle: what
        # is measured is the flood, from the moment every window answers.
        Deadline(30).wait(lambda: len(probe.samples) >= 10 * windows, "pings before the flood")
        probe.max_ms = 0.0
        go.set()
        server.wait_read(READ_SECONDS, app)
        # The last entries reach the transcript in the frames after the last read.
        Deadline(30).wait(lambda: len(probe.samples) >= 10 + len(probe.samples) // 2,
                          "pings after the flood")
        worst = probe.stop()
        report_measure(worst < bound_ms,
               "%d window(s), %d MiB of 64-byte lines each: longest stall %.0f ms, "
               "at most %d ms; peak RSS %.0f MiB over idle"
               % (windows, flood_mib, worst, bound_ms, app.peak_rss_mib() - idle), app)
    finally:
        if probe.is_alive():
            probe.stop()
        app.close()
        server.shutdown()


def press(disp, name, *mods):
    codes = [disp.keysym_to_keycode(XK.string_to_keysym(m)) for m in mods]
    code = disp.keysym_to_keycode(XK.string_to_keysym(name))
    for c in codes + [code]:
        xtest.fake_input(disp, X.KeyPress, c)
    for c in [code] + codes[::-1]:
        xtest.fake_input(disp, X.KeyRelease, c)
    disp.sync()


def sent_lengths(path):
    """The lengths of the sent entries in the traffic log at PATH."""
    found = []
    with open(path, encoding="utf-8") as log:
        for line in log:
            try:
                record = json.loads(line)
            except ValueError:
                continue   # a line being written
            if record.get("dir") == "sent":
                found.append(record.get("len"))
    return found


def test_paste_long_line(exe):
    """Issue 11, item 9: Ctrl+V of a 5 MB line in the composer of the real
    window, then Enter: the window keeps answering, and the whole line is sent."""
    tmp = tempfile.mkdtemp(prefix="tincan-paste-")
    log = os.path.join(tmp, "paste.jsonl")
    owner = subprocess.Popen(["/usr/bin/python3", "-c", CLIPBOARD_OWNER, str(PASTE_BYTES)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    # Keys go to the window under the pointer (no window manager), at 0,0:
    # with --local-echo the composer has the focus.
    app = App(exe, ["--local-echo", "--log=" + log])
    probe = PingProbe(app)
    try:
        if owner.stdout.readline().strip() != "ready":
            raise RuntimeError("the clipboard owner did not start")
        app.wait_windows(1)
        probe.start()
        Deadline(30).wait(lambda: len(probe.samples) >= 20, "pings before the paste")
        Deadline(30).wait(lambda: os.path.exists(log) and os.path.getsize(log) > 0,
                          "the log's first record")
        probe.max_ms = 0.0
        press(app.display, "v", "Control_L")
        # The paste arrives in pieces; Enter once it is in, which the log cannot
        # tell: Enter is pressed until the send is logged.
        Deadline(60).wait(lambda: app.alive() and (press(app.display, "Return") or True) and
                          {PASTE_BYTES, PASTE_BYTES + 1} & set(sent_lengths(log)),
                          "the pasted line, sent",
                          step=0.5)
        worst = probe.stop()
        report_measure(worst < ONE_WINDOW_STALL_MS,
               "Ctrl+V of a %d-byte line into the composer, then Enter: sent whole; longest "
               "stall %.0f ms, at most %d ms" % (PASTE_BYTES, worst, ONE_WINDOW_STALL_MS), app)
    finally:
        if probe.is_alive():
            probe.stop()
        app.close()
        owner.kill()
        owner.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    if not os.environ.get("DISPLAY"):
        print("Bail out! no X display: run under xvfb-run, as build-aux/dev test does")
        return 1
    exe = sys.argv[1]
    tests = [
        (lambda: test_long_line(exe), True),
        (lambda: test_budget(exe), False),
        (lambda: test_stall(exe, 1, ONE_WINDOW_STALL_MS), False),
        (lambda: test_stall(exe, N_WINDOWS, N_WINDOWS_STALL_MS, N_WINDOWS_FLOOD_MIB), True),
        (lambda: test_paste_long_line(exe), True),
    ]
    print("1..%d" % len(tests))
    if SANITIZED:
        print("# under a sanitizer: sizes divided by %d, bounds not checked" % SCALE)
    for test, under_asan in tests:
        if SANITIZED and not under_asan:
            # 20-30 s each under ASan, through the code the others take too.
            results.append(True)
            print("ok %d # SKIP under ASan: too slow there, and the same code as 1 and 4"
                  % len(results))
            continue
        start = time.monotonic()
        try:
            test()
        except Exception as exc:  # one failed test does not hide the others
            report(False, "%s: %s" % (test.__name__, exc))
        print("# %.1f s" % (time.monotonic() - start))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
