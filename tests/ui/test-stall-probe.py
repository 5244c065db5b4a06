#!/usr/bin/python3
# tests/ui/test-stall-probe.py
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The stall probe the window's UI tests rely on measures what it claims: an idle
# window answers _NET_WM_PING within a few tens of milliseconds, and a process that
# is stopped for 400 ms (SIGSTOP, then SIGCONT from a timer) is seen to stall at
# least that long. Prints TAP.
# usage: test-stall-probe.py TINCAN-EXECUTABLE

import os
import signal
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tincanprobe import App, Deadline, PingProbe  # noqa: E402

STOP_MS = 400


def main():
    if not os.environ.get("DISPLAY"):
        print("Bail out! no X display: run under xvfb-run, as build-aux/dev test does")
        return 1
    print("1..2")
    app = App(sys.argv[1])
    try:
        app.wait_windows(1)
        probe = PingProbe(app)
        probe.start()
        Deadline(30).wait(lambda: len(probe.samples) >= 20, "20 answered pings")
        idle = sorted(probe.samples[5:])[len(probe.samples[5:]) // 2]
        ok = idle < 100
        print("%s 1 - an idle window answers pings (median %.1f ms)" % ("ok" if ok else "not ok", idle))

        before = len(probe.samples)
        os.kill(app.pid, signal.SIGSTOP)
        # The stimulus: the process stays stopped for STOP_MS.
        threading.Timer(STOP_MS / 1000, os.kill, (app.pid, signal.SIGCONT)).start()
        Deadline(30).wait(lambda: len(probe.samples) >= before + 5, "pings after SIGCONT")
        worst = probe.stop()
        ok2 = worst >= STOP_MS * 0.9
        print("%s 2 - a %d ms stop is seen as a stall (longest round trip %.1f ms)"
              % ("ok" if ok2 else "not ok", STOP_MS, worst))
        return 0 if ok and ok2 else 1
    finally:
        app.close()


if __name__ == "__main__":
    sys.exit(main())
