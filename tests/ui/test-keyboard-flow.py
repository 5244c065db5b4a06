#!/usr/bin/python3
# tests/ui/test-keyboard-flow.py
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The whole flow from the keyboard alone, with real key events (XTest) into the real
window, each step's effect read back through AT-SPI: focus is in the host field at
start, type it, Tab, the port, Enter connects, type, Enter sends, Shift+Tab enters
the transcript, Home selects, the Menu key and Shift+F10 open a row's menu, Ctrl+C
copies, Ctrl+End jumps to the latest, Ctrl+F finds ("1 of 11", F3, Shift+F3, Enter,
Shift+Enter; Esc closes the bar and puts the focus back), Ctrl+Shift+Return disconnects; Esc in each state (disconnected, connecting,
connected, a menu open) cancels a pending connect or closes the menu and never ends
the session.  usage: test-keyboard-flow.py TINCAN-BINARY"""

import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tincan_atspi as t  # noqa: E402
from tincan_atspi import Atspi  # noqa: E402

BURST = 80   # lines the echo server sends first, so that the transcript scrolls


class EchoServer(t.LoopbackServer):
    """Greets each connection with BURST lines, then echoes; or, silent, accepts and
    never says a thing (a TLS handshake with it never ends)."""

    def __init__(self, silent=False):
        self.silent = silent
        super().__init__()

    def handle(self, conn):
        if not self.silent:
            threading.Thread(target=self._echo, args=(conn,), daemon=True).start()
        return conn

    def _echo(self, conn):
        try:
            conn.sendall(b"".join(b"line %d\n" % i for i in range(BURST)))
            while data := conn.recv(65536):
                conn.sendall(data)
        except OSError:
            pass


class Flow:
    def __init__(self, app, steps):
        self.app = app
        self.frame = t.wait_for("the main window", lambda: app.window(role=Atspi.Role.FRAME))
        self.steps = steps

    def step(self, name, check):
        """Records one TAP step: check() raises t.Failure or returns."""
        try:
            check()
            self.steps.append((name, None))
        except t.Failure as error:
            self.steps.append((name, str(error)))
            raise

    def focused_is(self, name, role=None):
        def check():
            f = self.app.focused()
            return f is not None and f.get_name() == name and (role is None or f.get_role() == role)
        t.wait_for(f"the focus on “{name}” (it is on {t.describe(self.app.focused())})", check)

    def button(self):
        """The connect button: its name says the state (Connect, Cancel, Disconnect)."""
        return t.find(self.frame, lambda a: a.get_role() == Atspi.Role.PUSH_BUTTON and
                      a.get_name() in ("Connect", "Cancel", "Disconnect"))

    def state_is(self, name):
        t.wait_for(f"the connect button to say “{name}”",
                   lambda: (b := self.button()) is not None and b.get_name() == name)

    def transcript(self):
        return t.find(self.frame, t.by_name("Transcript", Atspi.Role.LIST))

    def rows(self):
        lst = self.transcript()
        return list(t.children(lst)) if lst is not None else []

    def composer_text(self):
        composer = t.find(self.frame, t.by_name("Message", Atspi.Role.TEXT))
        return t.text_of(composer)

def run(app, server, silent, steps):
    flow = Flow(app, steps)
    step, key = flow.step, app.key

    step("at start the host field has the focus", lambda: flow.focused_is("Host", Atspi.Role.TEXT))

    def esc_menu():
        menu_open = lambda: t.find(flow.frame, lambda a: a.get_name() == "About Tincan"
                                   and t.states_has(a, Atspi.StateType.VISIBLE))
        key("F10")
        t.wait_for("the main menu open", menu_open)
        key("Escape")
        t.wait_for("the main menu closed", lambda: menu_open() is None)
        flow.focused_is("Main Menu")
        key("l", "Control_L")
        flow.focused_is("Host", Atspi.Role.TEXT)
    step("F10 opens the main menu, Esc closes it; Ctrl+L goes back to the host", esc_menu)

    def esc_disconnected():
        key("Escape")
        # Esc does nothing here: the next keys still land in the host field.
        app.type("127.0.0.1")
        t.wait_for("the host typed", lambda: t.text_of(app.focused()) == "127.0.0.1")
        flow.state_is("Connect")
    step("Esc when disconnected changes nothing; typing fills the host", esc_disconnected)

    def tab_port():
        key("Tab")
        flow.focused_is("Port", Atspi.Role.TEXT)
        app.type(str(server.port))
        t.wait_for("the port typed", lambda: t.text_of(app.focused()) == str(server.port))
    step("Tab moves to the port; it takes the port", tab_port)

    def enter_connects():
        key("Return")
        flow.state_is("Disconnect")
        flow.focused_is("Message", Atspi.Role.TEXT)
        t.wait_for("the greeting in the transcript", lambda: len(flow.rows()) > 5)
    step("Enter connects, and the composer gets the focus", enter_connects)

    def esc_connected():
        key("Escape")
        app.type("hello")
        t.wait_for("the message typed", lambda: flow.composer_text() == "hello")
        flow.state_is("Disconnect")
    step("Esc when connected keeps the session", esc_connected)

    def enter_sends():
        key("Return")
        t.wait_for("the composer emptied", lambda: flow.composer_text() == "")
        t.wait_for("the sent row", lambda: any(r.get_name().startswith("Sent") for r in flow.rows()))
        t.wait_for("the echo", lambda: flow.rows()[-1].get_name().startswith("Received"))
    step("Enter sends; the echo comes back", enter_sends)

    def esc_popup():
        # The drop-down after the composer: Space opens its list, Esc closes only that.
        key("Tab")
        flow.focused_is("Message format", Atspi.Role.PUSH_BUTTON)
        rows_before = len(flow.rows())
        key("space")
        hex_row = lambda a: a.get_name() == "Send Hex" and a.get_role() == Atspi.Role.LIST_ITEM
        t.wait_for("the format list open", lambda: t.find(flow.frame, hex_row))
        key("Escape")
        t.wait_for("the format list closed", lambda: t.find(flow.frame, hex_row) is None)
        flow.focused_is("Message format", Atspi.Role.PUSH_BUTTON)
        flow.state_is("Disconnect")
        key("Tab", "Shift_L")
        flow.focused_is("Message", Atspi.Role.TEXT)
        if len(flow.rows()) < rows_before:
            raise t.Failure("rows went missing")
    step("Esc closes an open drop-down, and only the drop-down", esc_popup)

    def shift_tab_enters():
        key("Tab", "Shift_L")
        try:
            t.wait_for("the focus on a transcript row", lambda: (f := app.focused()) is not None
                       and f.get_role() == Atspi.Role.LIST_ITEM)
        except t.Failure as error:
            raise t.Failure(f"{error}; it is on {t.describe(app.focused(), path=True)}")
        last = flow.rows()[-1]
        t.wait_for(f"the focus on the newest row ({t.describe(last)}), not "
                   f"{t.describe(app.focused())}", lambda: app.focused().get_name() == last.get_name())
    step("Shift+Tab from the composer lands on the newest row in view", shift_tab_enters)

    def selected_focus(name=None):
        f = app.focused()
        return (f is not None and f.get_role() == Atspi.Role.LIST_ITEM and t.states_has(
            f, Atspi.StateType.SELECTED) and (name is None or f.get_name() == name)) and f

    def keys_select():
        # Rows are told apart by where they stand: many have the same name.
        key("End")
        last = len(flow.rows()) - 1
        t.wait_for("the last row focused and selected", lambda: (f := selected_focus())
                   and f.get_index_in_parent() == last)
        key("Page_Up")
        t.wait_for("a row a page up focused and selected", lambda: (f := selected_focus())
                   and f.get_index_in_parent() < last - 1)
        up = app.focused().get_index_in_parent()
        key("Page_Down")
        t.wait_for("a row a page down focused and selected", lambda: (f := selected_focus())
                   and f.get_index_in_parent() > up)
    step("End, Page Up and Page Down select the row they move to", keys_select)

    def home_selects():
        key("Home")
        first = flow.rows()[0]
        try:
            t.wait_for("the first row focused and selected", lambda: (f := app.focused()) is not None
                       and f.get_role() == Atspi.Role.LIST_ITEM and t.states_has(
                           f, Atspi.StateType.SELECTED) and f.get_name() == first.get_name())
        except t.Failure as error:
            f = app.focused()
            raise t.Failure(f"{error}: the focus is on {t.describe(f)}, selected: "
                            f"{t.states_has(f, Atspi.StateType.SELECTED)}")
    step("Home selects the first row", home_selects)

    menu_items = ["Copy Payload as Text", "Copy Payload as Hex", "Copy Payload as Python Bytes",
                  "Copy Row", "Resend", "Edit and Send"]

    def menu_item(name):
        return t.find(flow.frame, lambda a: a.get_name() == name and a.get_role() ==
                      Atspi.Role.MENU_ITEM and t.states_has(a, Atspi.StateType.VISIBLE))

    def menu_open():
        shown = t.find_all(flow.frame, lambda a: a.get_role() == Atspi.Role.MENU_ITEM and
                           t.states_has(a, Atspi.StateType.VISIBLE))
        return sorted(a.get_name() for a in shown) == sorted(menu_items)

    def row_menu():
        # The newest row, the echo of "hello": a payload to reuse.
        key("End")
        newest = len(flow.rows()) - 1
        t.wait_for("the newest row focused and selected", lambda: (f := selected_focus())
                   and f.get_index_in_parent() == newest)
        for keys in (("Menu",), ("F10", "Shift_L")):
            key(*keys)
            try:
                t.wait_for(f"{'+'.join(reversed(keys))} to open the row menu, its items named "
                           "as they show", menu_open)
            except t.Failure as error:
                found = [a.get_name() for a in t.find_all(flow.frame, lambda a: a.get_role() ==
                                                          Atspi.Role.MENU_ITEM)]
                raise t.Failure(f"{error}; found {found}")
            for name in ("Copy Payload as Text", "Resend", "Edit and Send"):
                if not t.states_has(menu_item(name), Atspi.StateType.SENSITIVE):
                    raise t.Failure(f"“{name}” is greyed out on a received row")
            key("Escape")
            t.wait_for("the row menu closed", lambda: menu_item("Copy Row") is None)
            t.wait_for("the focus back on the row", lambda: (f := selected_focus())
                       and f.get_index_in_parent() == newest)
        # From the keyboard, the first item has the focus: Enter copies the payload.
        key("Menu")
        t.wait_for("the row menu open again", menu_open)
        key("Return")
        t.wait_for("the row menu closed", lambda: menu_item("Copy Row") is None)
        key("Tab")
        flow.focused_is("Message", Atspi.Role.TEXT)
        key("v", "Control_L")
        t.wait_for("the payload pasted, as text, alone",
                   lambda: flow.composer_text() == "hello")
        key("a", "Control_L")
        key("Delete")
        t.wait_for("the composer emptied", lambda: flow.composer_text() == "")
        key("Tab", "Shift_L")
        key("Home")
        t.wait_for("the first row focused and selected", lambda: (f := selected_focus())
                   and f.get_index_in_parent() == 0)
    step("Menu and Shift+F10 open the selected row's menu; Esc closes it; Enter on "
         "Copy Payload as Text copies the payload alone", row_menu)

    def right_click():
        # The second row, a status row: selected by the click, with only Copy Row to offer.
        second = flow.rows()[1]
        app.click(flow.frame, second, button=3)
        t.wait_for("a right click to open the row menu", menu_open)
        t.wait_for("the clicked row selected", lambda: t.states_has(
            second, Atspi.StateType.SELECTED))
        if t.states_has(menu_item("Resend"), Atspi.StateType.SENSITIVE):
            raise t.Failure("“Resend” offered on a status row")
        if not t.states_has(menu_item("Copy Row"), Atspi.StateType.SENSITIVE):
            raise t.Failure("“Copy Row” greyed out on a status row")
        key("Escape")
        t.wait_for("the row menu closed", lambda: menu_item("Copy Row") is None)
        t.wait_for("the focus on the clicked row", lambda: (f := selected_focus())
                   and f.get_index_in_parent() == 1)
        key("Home")
        t.wait_for("the first row focused and selected", lambda: (f := selected_focus())
                   and f.get_index_in_parent() == 0)
    step("A right click on a row selects it and opens its menu", right_click)

    def copy_and_tab_out():
        key("c", "Control_L")
        # Scrolled away from the end, the list is left by way of the jump button.
        key("Tab")
        flow.focused_is("Jump to latest", Atspi.Role.PUSH_BUTTON)
        key("Tab")
        flow.focused_is("Message", Atspi.Role.TEXT)
        key("v", "Control_L")
        t.wait_for("the copied row pasted", lambda: (flow.composer_text() or "").rstrip().endswith(
            "Connected to 127.0.0.1:%d" % server.port) or "127.0.0.1" in (flow.composer_text() or ""))
        key("a", "Control_L")
        key("Delete")
        t.wait_for("the composer emptied", lambda: flow.composer_text() == "")
    step("Ctrl+C copies the selected row; Tab leaves the list by the jump button", copy_and_tab_out)

    def ctrl_end():
        key("End", "Control_L")
        flow.focused_is("Message", Atspi.Role.TEXT)
        # Back at the end: entering the list lands on the newest row, and with no
        # jump button to pass, one Tab comes back out.
        key("Tab", "Shift_L")
        newest = flow.rows()[-1]
        t.wait_for(f"the focus on the newest row ({t.describe(newest)}), not "
                   f"{t.describe(app.focused())}",
                   lambda: (f := app.focused()) is not None and f.get_name() == newest.get_name())
        key("Tab")
        flow.focused_is("Message", Atspi.Role.TEXT)
    step("Ctrl+End in the composer jumps to the latest", ctrl_end)

    def find():
        count = lambda text: t.find(flow.frame, t.by_name(text, Atspi.Role.LABEL))
        key("f", "Control_L")
        flow.focused_is("Find in transcript")
        # The greeting's "line 7" and "line 70" to "line 79".
        app.type("line 7")
        t.wait_for("“1 of 11” in the find bar", lambda: count("1 of 11") is not None)
        key("F3")
        t.wait_for("F3: “2 of 11”", lambda: count("2 of 11") is not None)
        key("Return")
        t.wait_for("Enter: “3 of 11”", lambda: count("3 of 11") is not None)
        key("F3", "Shift_L")
        t.wait_for("Shift+F3: “2 of 11”", lambda: count("2 of 11") is not None)
        key("Return", "Shift_L")
        key("Return", "Shift_L")
        t.wait_for("Shift+Enter past the first: “11 of 11”", lambda: count("11 of 11") is not None)
        flow.focused_is("Find in transcript")
        key("Escape")
        t.wait_for("the find bar closed", lambda: (e := t.find(flow.frame, t.by_name(
            "Find in transcript"))) is None or not t.states_has(e, Atspi.StateType.SHOWING))
        flow.focused_is("Message", Atspi.Role.TEXT)
        flow.state_is("Disconnect")
        key("End", "Control_L")
    step("Ctrl+F finds: “1 of 11”, F3 and Enter go on, Shift+F3 and Shift+Enter back; "
         "Esc closes the bar, the focus goes back, the session stays", find)

    def ctrl_shift_return():
        key("Return", "Control_L", "Shift_L")
        flow.state_is("Connect")
        t.wait_for("no new line in the composer", lambda: flow.composer_text() == "")
    step("Ctrl+Shift+Return in the composer disconnects", ctrl_shift_return)

    def clear_and_help():
        before = len(flow.rows())
        key("l", "Control_L", "Shift_L")
        t.wait_for("the transcript cleared", lambda: t.find(flow.frame, t.by_name(
            "Try a Local Echo Server", Atspi.Role.PUSH_BUTTON)) is not None)
        flow.focused_is("Message", Atspi.Role.TEXT)
        # The toast's Undo brings every row back (issue 14); then clear again.
        undo = t.wait_for("the toast's Undo", lambda: t.find(flow.frame, t.by_name(
            "Undo", Atspi.Role.PUSH_BUTTON)))
        # libadwaita 1.2 names the toast's buttons "Undo Undo" and "GtkImage".
        toast = t.find(flow.frame, t.by_name("AdwToastWidget"))
        names = sorted(a.get_name() for a, _ in t.walk(toast)
                       if a.get_role() == Atspi.Role.PUSH_BUTTON)
        if names != ["Close", "Undo"]:
            raise t.Failure(f"the toast's buttons are named {names}")
        t.press(undo)
        t.wait_for(f"the {before} rows back", lambda: len(flow.rows()) == before)
        key("l", "Control_L", "Shift_L")
        t.wait_for("the transcript cleared again", lambda: t.find(flow.frame, t.by_name(
            "Try a Local Echo Server", Atspi.Role.PUSH_BUTTON)) is not None)
        key("question", "Control_L", "Shift_L")
        t.wait_for("the shortcuts window", lambda: app.window(name="Keyboard Shortcuts"))
        key("Escape")
        t.wait_for("the shortcuts window closed", lambda: app.window(name="Keyboard Shortcuts") is None)
        flow.focused_is("Message", Atspi.Role.TEXT)
    step("Ctrl+Shift+L in the composer clears, Undo in the toast undoes it; Ctrl+? shows the "
         "shortcuts, Esc closes them",
         clear_and_help)

    def ctrl_l_and_connecting():
        key("l", "Control_L")
        flow.focused_is("Host", Atspi.Role.TEXT)
        # A whole target typed into the host field is split on Enter; the server
        # accepts and never answers the TLS handshake, so the connect stays pending.
        app.type(f"tls://127.0.0.1:{silent.port}")
        key("Return")
        flow.state_is("Cancel")
        port = t.find(flow.frame, t.by_name("Port", Atspi.Role.TEXT))
        t.wait_for("the port split out", lambda: t.text_of(port) == str(silent.port))
        key("Escape")
        flow.state_is("Connect")
    step("Ctrl+L focuses the host; a typed URL is split; Esc cancels a pending connect",
         ctrl_l_and_connecting)

    def new_window_and_quit():
        key("n", "Control_L")
        t.wait_for("a second window", lambda: len([w for w in app.windows() if w is not None and
                                                   w.get_name() == "Tincan"]) == 2)
        key("q", "Control_L")
        t.wait_for("the app to quit", lambda: app.proc.poll() is not None)
    step("Ctrl+N opens a window, Ctrl+Q quits", new_window_and_quit)


def main():
    server = EchoServer()
    silent = EchoServer(silent=True)
    steps = []
    output = ""
    try:
        app = t.App(sys.argv[1], ["--framing=lf"])
        try:
            run(app, server, silent, steps)
        except t.Failure:
            pass  # the step that failed is in steps
        finally:
            output = app.close()
    except t.Failure as error:
        output = str(error)
    finally:
        server.close()
        silent.close()

    t.tap_plan(len(steps) if steps else 1)
    if not steps:
        t.tap(False, 1, "the app started", output)
    for i, (name, error) in enumerate(steps, 1):
        t.tap(error is None, i, name, error)
    if any(error for _, error in steps):
        print("# app output:\n# " + output.replace("\n", "\n# "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
