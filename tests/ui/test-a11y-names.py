#!/usr/bin/python3
# tests/ui/test-a11y-names.py
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every control a screen reader can focus has one clean name: not empty, no mnemonic
underscore, not said twice ("Cancel Cancel"), not a GTK type name ("GtkToggleButton").
Walks the real app through AT-SPI: the window, the main menu and each drop-down open,
the certificate dialog (a TLS server with a self-signed certificate, started here), Connect
Anyway and the warning it leaves, the certificate shown again, the shortcuts window and
About.  usage: test-a11y-names.py TINCAN-BINARY"""

import os
import re
import ssl
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tincan_atspi as t  # noqa: E402
from tincan_atspi import Atspi  # noqa: E402

TYPE_NAME = re.compile(r"^(Gtk|Adw|Tincan|Gdk)[A-Z]\w*$")


def bad_name(name):
    if name is None or not name.strip():
        return "empty"
    if re.search(r"(^|\W)_\w|\w_\w", name):
        return "has a mnemonic underscore"
    words = name.split()
    half = len(words) // 2
    if len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return "says itself twice"
    if TYPE_NAME.match(name):
        return "is a type name"
    return None


def check_names(where, root, problems):
    """Adds a line to problems for each focusable, showing accessible under root
    whose name is bad. Returns how many were checked."""
    checked = 0
    for acc, _ in t.walk(root, limit=30):
        try:
            states = acc.get_state_set()
            if not states.contains(Atspi.StateType.FOCUSABLE):
                continue
            if not states.contains(Atspi.StateType.VISIBLE):
                continue
            name = acc.get_name()
        except t.gi.repository.GLib.Error:
            continue
        checked += 1
        why = bad_name(name)
        if why:
            inner = ", ".join(t.describe(c) for c in t.children(acc))
            problems.append(f"{where}: {t.describe(acc, path=True)} {why}"
                            + (f" (holds {inner})" if inner and os.environ.get("VERBOSE") else ""))
    return checked


class TlsServer(t.LoopbackServer):
    """Accepts TLS connections with a self-signed certificate and holds them open;
    the app refuses the certificate and shows its dialog, then accepts it if told to."""

    def __init__(self, tmp):
        cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=tincan-test"],
                       check=True, capture_output=True)
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        super().__init__()

    def handle(self, conn):
        try:
            return self.context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            conn.close()
            return None


def focusables(root):
    return [a for a, _ in t.walk(root, limit=30) if t.states_has(a, Atspi.StateType.FOCUSABLE)
            and t.states_has(a, Atspi.StateType.VISIBLE)]


def open_and_check(app, where, opener, problems):
    """Presses opener (a drop-down's or menu's button), checks the window with the
    popup open, and closes it again."""
    frame = app.window(role=Atspi.Role.FRAME)
    before = len(focusables(frame))
    t.press(opener)
    t.wait_for(f"{where} to open", lambda: len(focusables(frame)) > before)
    n = check_names(where, frame, problems)
    app.key("Escape")
    t.wait_for(f"{where} to close", lambda: len(focusables(frame)) == before)
    return n


def main():
    binary = sys.argv[1]
    tests = []
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        server = TlsServer(tmp)
        app = t.App(binary, [f"tls://127.0.0.1:{server.port}"])
        try:
            frame = t.wait_for("the main window", lambda: app.window(role=Atspi.Role.FRAME))

            dialog = t.wait_for("the certificate dialog", lambda: app.window(
                name="Untrusted Certificate"))
            n = check_names("certificate dialog", dialog, problems)
            tests.append(("certificate dialog", n, list(problems)))
            if t.find(dialog, t.by_name("Cancel", Atspi.Role.PUSH_BUTTON)) is None:
                problems.append("certificate dialog: no button named “Cancel”")
            anyway = t.find(dialog, t.by_name("Connect Anyway", Atspi.Role.PUSH_BUTTON))
            if anyway is None:
                problems.append("certificate dialog: no button named “Connect Anyway”")
            else:
                t.press(anyway)
                t.wait_for("the certificate dialog to close",
                           lambda: app.window(name="Untrusted Certificate") is None)
                # Connected anyway: the status bar's warning shows the details again.
                start = len(problems)
                warning = t.wait_for("the untrusted certificate warning", lambda: t.find(
                    frame, t.by_name("Untrusted certificate accepted", Atspi.Role.PUSH_BUTTON)))
                if why := bad_name(warning.get_name()):
                    problems.append(f"status bar: {t.describe(warning)} {why}")
                t.press(warning)
                details = t.wait_for("the accepted certificate's details", lambda: app.window(
                    name="Untrusted Certificate Accepted"))
                n = check_names("accepted certificate dialog", details, problems)
                close = t.find(details, t.by_name("Close", Atspi.Role.PUSH_BUTTON))
                if close is None:
                    problems.append("accepted certificate dialog: no button named “Close”")
                else:
                    t.press(close)
                    t.wait_for("the details to close", lambda: app.window(
                        name="Untrusted Certificate Accepted") is None)
                tests.append(("accepted certificate dialog", n, problems[start:]))
                # The rest is checked disconnected, with the connection bar to open.
                t.press(t.find(frame, t.by_name("Disconnect", Atspi.Role.PUSH_BUTTON)))
                t.wait_for("the warning gone with the connection", lambda: t.find(
                    frame, t.by_name("Untrusted certificate accepted", Atspi.Role.PUSH_BUTTON))
                    is None)

            start = len(problems)
            n = check_names("window", frame, problems)
            tests.append(("window", n, problems[start:]))

            # Each drop-down's button and the main menu, open.
            toggles = [a for a in t.find_all(frame, lambda a: a.get_role() in (
                Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON) and a.get_state_set().contains(
                Atspi.StateType.VISIBLE) and a.get_parent() is not None and a.get_parent().get_role()
                in (Atspi.Role.COMBO_BOX, Atspi.Role.PUSH_BUTTON))]
            for toggle in toggles:
                name = toggle.get_name()
                if not toggle.get_state_set().contains(Atspi.StateType.SENSITIVE):
                    continue
                start = len(problems)
                n = open_and_check(app, f"“{name}” open", toggle, problems)
                tests.append((f"“{name}” open", n, problems[start:]))

            start = len(problems)
            app.key("question", "Control_L", "Shift_L")
            shortcuts = t.wait_for("the shortcuts window", lambda: app.window(
                name="Keyboard Shortcuts"))
            n = check_names("shortcuts window", shortcuts, problems)
            tests.append(("shortcuts window", n, problems[start:]))
            app.key("Escape")
            t.wait_for("the shortcuts window to close", lambda: app.window(name="Keyboard Shortcuts") is None)

            start = len(problems)
            menu = t.find(frame, t.by_name("Main Menu", Atspi.Role.TOGGLE_BUTTON)) or t.find(
                frame, lambda a: a.get_name() == "Main Menu" and a.get_state_set().contains(
                    Atspi.StateType.FOCUSABLE))
            t.press(menu)
            about = t.wait_for("the About item", lambda: t.find(
                frame, lambda a: a.get_name() == "About Tincan" and a.get_state_set().contains(
                    Atspi.StateType.VISIBLE)))
            t.press(about)
            about_window = t.wait_for("the About window", lambda: app.window(name="About"))
            n = check_names("About", about_window, problems)
            tests.append(("About", n, problems[start:]))
        except t.Failure as error:
            windows = ", ".join(t.describe(w) for w in app.windows() if w is not None)
            tests.append(("walk", 0, [f"{error}; windows: {windows}"]))
        finally:
            output = app.close()
            server.close()

    t.tap_plan(len(tests))
    for i, (name, checked, found) in enumerate(tests, 1):
        ok = not found and (checked > 0 or name == "walk")
        detail = "\n".join(found) if found else (None if checked else "nothing focusable found")
        t.tap(ok, i, f"{name}: {checked} focusable controls", detail)
    if any(found for _, _, found in tests):
        print("# app output:\n# " + output.replace("\n", "\n# "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
