#!/usr/bin/python3
# tests/ui/screenshots.py
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of the real window at a given width and text scale, disconnected and
connected (to its built-in echo server), and the narrowest width it allows.
usage: screenshots.py TINCAN-BINARY OUT-DIR [WIDTH[xSCALE]]...
e.g. screenshots.py _build/src/tincan docs/screenshots 360 400 680 360x1.5
Writes OUT-DIR/narrow-WIDTH[-xSCALE]-{disconnected,connected}.png and prints, for
each, the width the window really got (its minimum, when that is more)."""

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tincan_atspi as t  # noqa: E402
from tincan_atspi import Atspi  # noqa: E402

import gi  # noqa: E402
gi.require_version("GdkPixbuf", "2.0")
from gi.repository import GdkPixbuf, GLib  # noqa: E402
from Xlib import X  # noqa: E402


def settings_home(tmp, width, scale):
    """A configuration folder: the window width in a keyfile settings backend."""
    os.makedirs(os.path.join(tmp, "glib-2.0", "settings"))
    with open(os.path.join(tmp, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write(f"[io/github/tincan/Tincan]\nwindow-width={width}\nwindow-height=560\n")



def top_window(app):
    root = app.x.screen().root
    # The topmost: query_tree lists the stacking order, bottom first.
    for w in reversed(root.query_tree().children):
        g = w.get_geometry()
        if w.get_attributes().map_state == X.IsViewable and g.width > 100:
            return w, g
    raise t.Failure("no window on the screen")


def grab(app):
    window, g = top_window(app)
    return g, window.get_image(0, 0, g.width, g.height, X.ZPixmap, 0xFFFFFFFF).data


def shoot(app, path):
    # The effect is seen through AT-SPI before it is painted: wait until two
    # grabs in a row agree.
    last = [None]

    def stable():
        g, data = grab(app)
        same = last[0] == (g.width, g.height, data)
        last[0] = (g.width, g.height, data)
        return (g, data) if same else None
    g, data = t.wait_for("the picture to stop changing", stable)
    data = bytearray(data)
    # BGRX to RGB
    rgb = bytearray(g.width * g.height * 3)
    rgb[0::3], rgb[1::3], rgb[2::3] = data[2::4], data[1::4], data[0::4]
    pixbuf = GdkPixbuf.Pixbuf.new_from_bytes(GLib.Bytes.new(bytes(rgb)), GdkPixbuf.Colorspace.RGB,
                                            False, 8, g.width, g.height, g.width * 3)
    pixbuf.savev(path, "png", [], [])
    return g.width


def main():
    binary, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for spec in sys.argv[3:]:
        width, _, scale = spec.partition("x")
        width, scale = int(width), float(scale or 1)
        suffix = f"{width}" + (f"-x{scale:g}" if scale != 1 else "")
        with tempfile.TemporaryDirectory() as tmp:
            settings_home(tmp, width, scale)
            app = t.App(binary, ["--local-echo"], env={
                "GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": tmp, "LANG": "C.UTF-8"},
                # Text scaled as GNOME's "Large Text" does: Xft.dpi, which GTK turns
                # into gtk-xft-dpi.
                xresources=f"Xft.dpi:\t{96 * scale:g}\n")
            try:
                frame = t.wait_for("the window", lambda: app.window(role=Atspi.Role.FRAME))
                t.wait_for("the connection", lambda: t.find(frame, t.by_name(
                    "Disconnect", Atspi.Role.PUSH_BUTTON)))
                app.type("hello, narrow world")
                app.key("Return")
                t.wait_for("the echo", lambda: t.find(frame, lambda a: a.get_role() ==
                                                      Atspi.Role.LIST_ITEM and
                                                      a.get_name().startswith("Received")))
                got = shoot(app, os.path.join(out, f"narrow-{suffix}-connected.png"))
                app.key("Return", "Control_L", "Shift_L")
                t.wait_for("the disconnection", lambda: t.find(frame, t.by_name(
                    "Connect", Atspi.Role.PUSH_BUTTON)))
                got2 = shoot(app, os.path.join(out, f"narrow-{suffix}-disconnected.png"))
                print(f"{suffix}: asked {width} px, got {got} px connected, {got2} px disconnected")
            finally:
                app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
