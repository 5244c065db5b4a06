# tests/ui/tincan_atspi.py
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared code of the UI tests that drive the real Tincan from outside: start it
with the accessibility bridge on, find its windows through AT-SPI, press real keys
with XTest, and wait for an effect with a deadline (never a sleep)."""

import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

from Xlib import X, XK, Xatom, display as xdisplay  # noqa: E402
from Xlib.ext import xtest  # noqa: E402

# Generous: it only matters when something is wrong, and a sanitizer build is slow.
DEADLINE = float(os.environ.get("TINCAN_UI_DEADLINE", "60"))


class Failure(Exception):
    pass


def wait_for(what, check, deadline=DEADLINE):
    """Polls check() until it returns something true; fails with what after deadline."""
    end = time.monotonic() + deadline
    last_error = None
    while time.monotonic() < end:
        try:
            value = check()
            if value:
                return value
        except gi.repository.GLib.Error as error:  # a widget went away mid-walk
            last_error = error
        # Not a synchronisation sleep: a poll interval while waiting for the effect.
        time.sleep(0.05)
    raise Failure(f"timed out after {deadline:.0f} s waiting for {what}"
                  + (f" (last error: {last_error})" if last_error else ""))


def _die_with_parent():
    """For the children: end when this script ends, even when it is killed (meson's
    timeout), so that no X server or app outlives a test."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG


class Xvfb:
    """A private X server, so that no other test's window takes the keyboard."""

    def __init__(self):
        read, write = os.pipe()
        self.proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0",
                                      "1280x860x24", "-nolisten", "tcp"],
                                     pass_fds=(write,), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        os.close(write)
        with os.fdopen(read) as f:
            number = f.readline().strip()
        if not number:
            raise Failure("Xvfb did not start")
        self.display = ":" + number

    def close(self):
        self.proc.terminate()
        self.proc.wait()


class LoopbackServer:
    """Accepts TCP connections on 127.0.0.1 in a thread and hands each to handle(),
    which returns what to close at the end."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.held = []
        threading.Thread(target=self._serve, daemon=True).start()

    def handle(self, conn):
        return conn

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(self.handle(conn))

    def close(self):
        self.sock.close()
        for c in self.held:
            if c is not None:
                c.close()


def app_env(extra=None):
    env = dict(os.environ)
    # The suite's test_env turns the bridge off for every other test.
    env.pop("NO_AT_BRIDGE", None)
    env["GTK_A11Y"] = "atspi"
    env["GDK_BACKEND"] = "x11"
    # A critical in the app fails the test; its warnings (GTK's a11y ones) do not.
    env["G_DEBUG"] = "fatal-criticals"
    env.setdefault("GSK_RENDERER", "cairo")
    if extra:
        env.update(extra)
    return env


class App:
    """The real app, started with args, and its AT-SPI application object."""

    def __init__(self, binary, args=(), env=None, xresources=None):
        self.xvfb = Xvfb()
        env = dict(env or {}, DISPLAY=self.xvfb.display)
        self.x = xdisplay.Display(self.xvfb.display)
        if xresources:
            # What xrdb would set; GTK reads Xft.dpi from it when no XSETTINGS
            # manager runs.
            root = self.x.screen().root
            root.change_property(self.x.intern_atom("RESOURCE_MANAGER"), Xatom.STRING, 8,
                                 xresources.encode())
            self.x.sync()
        self.proc = subprocess.Popen([binary, *args], env=app_env(env),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     preexec_fn=_die_with_parent)
        self.pid = self.proc.pid
        # Starting is the slowest step by far in a sanitizer build on a busy machine.
        try:
            self.app = wait_for("the app on the accessibility bus", self._find_app, DEADLINE * 2)
        except Failure as error:
            output = self.close()
            raise Failure(f"{error}; the app said: {output}") from None

    def _find_app(self):
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            child = desktop.get_child_at_index(i)
            if child is not None and child.get_process_id() == self.pid:
                return child
        if self.proc.poll() is not None:
            raise Failure("the app exited: " + self.proc.stdout.read().decode(errors="replace"))
        return None

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        output = self.proc.stdout.read().decode(errors="replace")
        self.proc.stdout.close()
        self.x.close()
        self.xvfb.close()
        return output

    # The tree

    def windows(self):
        return [self.app.get_child_at_index(i) for i in range(self.app.get_child_count())]

    def window(self, name=None, role=None):
        for w in self.windows():
            if w is None:
                continue
            if (name is None or w.get_name() == name) and (role is None or w.get_role() == role):
                return w
        return None

    def focused(self):
        """The accessible that has the keyboard focus, in any of the app's windows."""
        for w in self.windows():
            if w is None:
                continue
            hit = find(w, lambda a: a.get_state_set().contains(Atspi.StateType.FOCUSED), limit=10000)
            if hit is not None:
                return hit
        return None

    # Keys

    def key(self, name, *mods):
        """Presses and releases the key named like an X keysym ("Tab", "Return", "a")
        with modifier keysyms held ("Control_L", "Shift_L")."""
        codes = [self.x.keysym_to_keycode(XK.string_to_keysym(m)) for m in mods]
        code = self.x.keysym_to_keycode(XK.string_to_keysym(name))
        if code == 0:
            raise Failure(f"no keycode for {name}")
        for c in codes:
            xtest.fake_input(self.x, X.KeyPress, c)
        xtest.fake_input(self.x, X.KeyPress, code)
        xtest.fake_input(self.x, X.KeyRelease, code)
        for c in reversed(codes):
            xtest.fake_input(self.x, X.KeyRelease, c)
        self.x.sync()

    def click(self, frame, acc, button=1):
        """Clicks the middle of acc, an accessible of the window frame, with a real
        pointer event. GTK 4.8 tells positions relative to the window only; the X
        window has a border around it (client-side decorations), the same each side."""
        inner = frame.get_extents(Atspi.CoordType.WINDOW)
        where = acc.get_extents(Atspi.CoordType.WINDOW)
        for w in self.x.screen().root.query_tree().children:
            g = w.get_geometry()
            if w.get_attributes().map_state == X.IsViewable and g.width >= inner.width:
                x = g.x + (g.width - inner.width) // 2 + where.x + where.width // 2
                y = g.y + (g.height - inner.height) // 2 + where.y + where.height // 2
                break
        else:
            raise Failure("the window is not on the screen")
        xtest.fake_input(self.x, X.MotionNotify, x=x, y=y)
        xtest.fake_input(self.x, X.ButtonPress, button)
        xtest.fake_input(self.x, X.ButtonRelease, button)
        self.x.sync()

    def type(self, text):
        names = {" ": "space", ".": "period", ",": "comma", ":": "colon", "/": "slash", "-": "minus",
                 "_": "underscore", "[": "bracketleft", "]": "bracketright"}
        shifted = set(':_ABCDEFGHIJKLMNOPQRSTUVWXYZ')
        for ch in text:
            name = names.get(ch, ch)
            if ch in shifted:
                self.key(name, "Shift_L")
            else:
                self.key(name)


def children(acc):
    n = acc.get_child_count()
    for i in range(n):
        c = acc.get_child_at_index(i)
        if c is not None:
            yield c


def walk(acc, depth=0, limit=60):
    """Every accessible under acc (acc included), depth first; rows of a long list
    past the first limit are skipped (they are all alike)."""
    yield acc, depth
    for i, c in enumerate(children(acc)):
        if i >= limit and acc.get_role() in (Atspi.Role.LIST, Atspi.Role.TABLE,
                                            Atspi.Role.TREE_TABLE):
            break
        yield from walk(c, depth + 1, limit)


def find(acc, pred, limit=60):
    for a, _ in walk(acc, limit=limit):
        try:
            if pred(a):
                return a
        except gi.repository.GLib.Error:
            continue
    return None


def find_all(acc, pred):
    out = []
    for a, _ in walk(acc):
        try:
            if pred(a):
                out.append(a)
        except gi.repository.GLib.Error:
            continue
    return out


def states_has(acc, state):
    try:
        return acc.get_state_set().contains(state)
    except gi.repository.GLib.Error:
        return False


def by_name(name, role=None):
    return lambda a: a.get_name() == name and (role is None or a.get_role() == role)


def text_of(acc):
    t = acc.get_text_iface() if hasattr(acc, "get_text_iface") else None
    if t is None:
        return None
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc))


def press(acc):
    """Runs an accessible's default action (click)."""
    action = acc.get_action_iface()
    if action is None or Atspi.Action.get_n_actions(acc) == 0:
        raise Failure(f"{describe(acc)} has no action")
    try:
        Atspi.Action.do_action(acc, 0)
    except gi.repository.GLib.Error as error:
        # The action runs before the reply: opening a window in a slow (sanitizer)
        # build can outlast D-Bus's reply timeout. The caller waits for the effect.
        if "Did not receive a reply" not in str(error):
            raise


def describe(acc, path=False):
    if acc is None:
        return "nothing"
    try:
        here = f"{acc.get_role_name()} “{acc.get_name()}”"
        if path:
            parent = acc.get_parent()
            while parent is not None and not parent.get_name():
                parent = parent.get_parent()
            if parent is not None:
                here += f" in {parent.get_role_name()} “{parent.get_name()}”"
        return here
    except gi.repository.GLib.Error:
        return "(gone)"


def dump(acc, out=sys.stdout):
    for a, depth in walk(acc):
        try:
            states = a.get_state_set()
            flags = [s for s, t in (("focusable", Atspi.StateType.FOCUSABLE),
                                    ("focused", Atspi.StateType.FOCUSED),
                                    ("showing", Atspi.StateType.SHOWING)) if states.contains(t)]
            print("  " * depth + describe(a) + " " + ",".join(flags), file=out)
        except gi.repository.GLib.Error:
            continue


def tap_plan(n):
    print(f"1..{n}", flush=True)


def tap(ok, number, name, detail=None):
    print(f"{'ok' if ok else 'not ok'} {number} {name}", flush=True)
    if detail:
        for line in detail.splitlines():
            print(f"# {line}", flush=True)
