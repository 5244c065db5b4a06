#!/usr/bin/python3
# .ci/fresh-root-watch.py
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Watches an X display until a Tincan window is mapped and painted, saves it as a
# PNG, then disconnects that client from the display (XKillClient), which ends the
# app as a closed display would. Exits 0 once it saw the painted window; 1 if the
# process given with --pid ended first, or on the deadline.
# A painted frame: the window's pixels hold more than a handful of distinct colours
# (an unpainted or blank window is one or two).

import argparse
import os
import struct
import sys
import time
import zlib

from Xlib import X, display, error


def find_tincan(disp):
    """The first viewable top-level window whose name contains Tincan."""
    for win in disp.screen().root.query_tree().children:
        try:
            attrs = win.get_attributes()
            if attrs.map_state != X.IsViewable:
                continue
            name = win.get_wm_name() or ""
            wm_class = win.get_wm_class() or ()
            if "Tincan" in name or any("tincan" in c.lower() for c in wm_class):
                return win
        except error.XError:
            continue
    return None


def grab(win):
    geom = win.get_geometry()
    image = win.get_image(0, 0, geom.width, geom.height, X.ZPixmap, 0xFFFFFFFF)
    return geom.width, geom.height, image.data


def write_png(path, width, height, data):
    # 32-bit ZPixmap rows in BGRX order, no padding at depth 24 with 32 bpp.
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        row = data[y * width * 4:(y + 1) * width * 4]
        for x in range(0, len(row), 4):
            rows += bytes((row[x + 2], row[x + 1], row[x]))

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        out.write(chunk(b"IDAT", zlib.compress(bytes(rows), 6)))
        out.write(chunk(b"IEND", b""))


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--display", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--png", required=True)
    args = parser.parse_args()

    deadline = time.monotonic() + args.timeout
    disp = None
    while disp is None and time.monotonic() < deadline:
        try:
            disp = display.Display(args.display)
        except Exception:  # the server is still starting
            time.sleep(0.1)
    if disp is None:
        print(f"watch: could not open display {args.display}", file=sys.stderr)
        return 1

    started = time.monotonic()
    while time.monotonic() < deadline:
        if not alive(args.pid):
            print("watch: the run command ended before its window was painted", file=sys.stderr)
            return 1
        win = find_tincan(disp)
        if win is not None:
            try:
                width, height, data = grab(win)
            except error.XError:
                win = None
            if win is not None and len(set(data[i:i + 3] for i in range(0, len(data), 4))) > 8:
                write_png(args.png, width, height, data)
                print(f"watch: a painted {width}x{height} window "
                      f"\"{win.get_wm_name()}\" after {time.monotonic() - started:.0f} s; "
                      f"saved {args.png}")
                win.kill_client()
                disp.sync()
                return 0
        # Polling an X server is the only way to see a window from outside without
        # a window manager; the run command is installing and building meanwhile.
        time.sleep(0.5)
    print("watch: no painted Tincan window before the deadline", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
