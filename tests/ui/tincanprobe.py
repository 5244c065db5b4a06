# tests/ui/tincanprobe.py
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Watching the real Tincan window from outside the process, as a window manager
# and a user would. The UI tests in tests/ui/ import this module:
#
#   App          the app as a child process: its X windows (by _NET_WM_PID), its
#                peak and current RSS from /proc, a bounded close
#   PingProbe    _NET_WM_PING round trips to every window of an App, from a thread
#                with its own X connection: the longest one is the longest time the
#                main loop did not get to its X events (a stall), whatever caused it
#   FloodServer  a TCP server on 127.0.0.1 that sends what it is given as fast as
#                the app reads it, and says when the app has read every byte
#   Deadline     polling with a deadline (no sleeping as synchronisation: every wait
#                here ends on the event it waits for, or fails at the deadline)
#
# It needs /usr/bin/python3 with python3-xlib (build-aux/dev installs it), and a
# display: the suite runs under xvfb-run, without a window manager, so every
# top-level window is a child of the root window.

import fcntl
import os
import select
import signal
import socket
import struct
import subprocess
import termios
import tempfile
import threading
import time

from Xlib import X, display, error, protocol


class Deadline:
    """`with`-less polling: Deadline(5).wait(pred, what) returns pred()'s value."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()

    def wait(self, predicate, what, step=0.01):
        while True:
            value = predicate()
            if value:
                return value
            if self.left() <= 0:
                raise TimeoutError("gave up waiting for " + what)
            # Polling interval, not synchronisation: the loop ends on the event.
            time.sleep(step)


def read_status_kib(pid, field):
    """A field of /proc/PID/status in KiB (VmHWM: peak RSS, VmRSS: current)."""
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


class App:
    """Tincan as a child process, with the environment the UI tests need."""

    def __init__(self, exe, args=(), env=None, stdout_pipe=False):
        """With STDOUT_PIPE, stdout is a pipe the test may leave unread (proc.stdout),
        as test-log-stuck.py does on purpose."""
        self.exe = exe
        child_env = dict(os.environ)
        child_env.update({"GDK_BACKEND": "x11", "GSK_RENDERER": "cairo"})
        child_env.update(env or {})
        self.env = child_env
        # A file, not a pipe: nobody reads a pipe while the test runs, and an app
        # that prints more than a pipe holds (64 KiB of warnings) would block on
        # the write and stop reading its sockets: the test would hang, not fail.
        self.output = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([exe] + list(args), env=child_env,
                                     stdout=subprocess.PIPE if stdout_pipe else self.output,
                                     stderr=self.output)
        self.pid = self.proc.pid
        self.display = display.Display()
        self.atom_pid = self.display.intern_atom("_NET_WM_PID")

    def again(self, args):
        """Runs the executable once more with ARGS: GtkApplication hands them to this
        (primary) instance over D-Bus, which opens another window."""
        other = subprocess.run([self.exe] + list(args), env=self.env,
                               capture_output=True, timeout=30)
        return other.returncode

    def windows(self, disp=None):
        """This process's viewable top-level windows, asked over DISP: a thread
        needs a connection of its own, as python-xlib does not share a Display
        between threads safely (PingProbe asked over the test's while the test
        did too; once log-stuck hung 240 s after its first check that way, or so
        it seems: nothing else in it can wait unbounded)."""
        found = []
        disp = disp or self.display
        try:
            children = disp.screen().root.query_tree().children
        except error.XError:
            return found
        for win in children:
            try:
                if win.get_attributes().map_state != X.IsViewable:
                    continue
                prop = win.get_full_property(self.atom_pid, X.AnyPropertyType)
            except error.XError:
                continue
            if prop and len(prop.value) and prop.value[0] == self.pid:
                found.append(win)
        return found

    def wait_windows(self, count, seconds=30):
        return Deadline(seconds).wait(
            lambda: self.alive() and len(self.windows()) >= count and self.windows(),
            "%d Tincan window(s)" % count)

    def printed(self, limit=4000):
        """The last LIMIT characters the app printed (stdout and stderr)."""
        self.output.seek(0)
        return self.output.read().decode(errors="replace")[-limit:]

    def alive(self):
        if self.proc.poll() is not None:
            raise RuntimeError("tincan exited with %d: %s" % (self.proc.returncode, self.printed()))
        return True

    def peak_rss_mib(self):
        return read_status_kib(self.pid, "VmHWM") / 1024

    def rss_mib(self):
        return read_status_kib(self.pid, "VmRSS") / 1024

    def close(self, seconds=10):
        """SIGTERM, then SIGKILL if it has not ended within SECONDS. Returns the
        exit status, and how long the process took to end after SIGTERM."""
        start = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(seconds)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.display.close()
        self.output.close()
        return self.proc.returncode, time.monotonic() - start


class PingProbe(threading.Thread):
    """Sends _NET_WM_PING to every window of APP, one at a time, the next as soon as
    the last was answered (GDK answers on its X event source, at the main loop's
    default priority, by sending the message back to the root window). max_ms is
    the longest round trip seen; a ping still unanswered when stop() is called
    counts for as long as it has waited."""

    def __init__(self, app, interval=0.005):
        super().__init__(daemon=True)
        self.app = app
        self.interval = interval
        self.disp = display.Display()
        self.root = self.disp.screen().root
        self.root.change_attributes(event_mask=X.SubstructureNotifyMask)
        self.wm_protocols = self.disp.intern_atom("WM_PROTOCOLS")
        self.net_wm_ping = self.disp.intern_atom("_NET_WM_PING")
        self.halt = threading.Event()
        self.samples = []
        self.max_ms = 0.0
        self.pending_since = None
        self.error = None

    def _send(self, win, stamp):
        event = protocol.event.ClientMessage(
            window=win, client_type=self.wm_protocols,
            data=(32, [self.net_wm_ping, stamp, win.id, 0, 0]))
        self.disp.send_event(win, event, event_mask=X.NoEventMask)
        self.disp.flush()

    def _wait_reply(self, stamp):
        """Waits for the answer to STAMP; False if stop() came first."""
        fd = self.disp.fileno()
        while not self.halt.is_set():
            while self.disp.pending_events():
                event = self.disp.next_event()
                if (event.type == X.ClientMessage and event.client_type == self.wm_protocols
                        and event.data[1][0] == self.net_wm_ping and event.data[1][1] == stamp):
                    return True
            select.select([fd], [], [], 0.05)
        return False

    def run(self):
        stamp = 1
        try:
            while not self.halt.is_set():
                wins = [w.id for w in self.app.windows(self.disp)]
                for wid in wins:
                    win = self.disp.create_resource_object("window", wid)
                    self.pending_since = time.monotonic()
                    self._send(win, stamp)
                    answered = self._wait_reply(stamp)
                    took = (time.monotonic() - self.pending_since) * 1000
                    self.pending_since = None
                    self.max_ms = max(self.max_ms, took)
                    if not answered:
                        return
                    self.samples.append(took)
                    stamp += 1
                # The pause between rounds, not a synchronisation.
                self.halt.wait(self.interval)
        except Exception as exc:  # reported by stop()
            self.error = exc

    def stop(self):
        pending = self.pending_since
        self.halt.set()
        self.join(10)
        if pending is not None:
            self.max_ms = max(self.max_ms, (time.monotonic() - pending) * 1000)
        self.disp.close()
        if self.error:
            raise self.error
        return self.max_ms


class FloodServer(threading.Thread):
    """Listens on 127.0.0.1 (or ::1); to each client that connects, up to CLIENTS of
    them, sends every chunk of PAYLOAD (an iterable of bytes, or a function that
    returns one) and then, if CLOSE, closes its side. sent counts the bytes."""

    def __init__(self, payload, clients=1, close=False, family=socket.AF_INET):
        super().__init__(daemon=True)
        self.payload = payload
        self.clients = clients
        self.close_after = close
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1" if family == socket.AF_INET else "::1", 0))
        self.listener.listen(clients)
        self.port = self.listener.getsockname()[1]
        self.sent = 0
        self.lock = threading.Lock()
        self.conns = []
        self.finished = threading.Event()
        self.error = None
        self.start()

    def _serve(self, conn):
        chunks = self.payload() if callable(self.payload) else self.payload
        try:
            for chunk in chunks:
                conn.sendall(chunk)
                with self.lock:
                    self.sent += len(chunk)
        except OSError as exc:  # the app closed or reset: wait_read says so
            self.error = exc

    def run(self):
        workers = []
        try:
            for _ in range(self.clients):
                conn, _ = self.listener.accept()
                self.conns.append(conn)
                worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
                worker.start()
                workers.append(worker)
            for worker in workers:
                worker.join()
            if self.close_after:
                for conn in self.conns:
                    conn.shutdown(socket.SHUT_WR)
        except OSError as exc:
            self.error = exc
        finally:
            self.finished.set()

    def unread(self):
        """Bytes sent but not yet read by the app, summed over clients (the kernel's
        send queue: on loopback it empties only as the peer reads)."""
        total = 0
        for conn in self.conns:
            buf = fcntl.ioctl(conn.fileno(), termios.TIOCOUTQ, struct.pack("i", 0))
            total += struct.unpack("i", buf)[0]
        return total

    def wait_read(self, seconds, app=None):
        """Waits until every byte was sent and read by the app; fails at once when a
        connection broke or APP (an App) exited, and after SECONDS when the app
        stopped reading (with what it printed)."""
        def done():
            if self.error:
                raise RuntimeError("sending the flood: %s%s" % (
                    self.error, "; the app printed: " + app.printed() if app else ""))
            if app is not None:
                app.alive()
            return self.finished.is_set() and self.unread() == 0
        try:
            Deadline(seconds).wait(done, "the app to read the flood (%d bytes sent, %d unread)"
                                   % (self.sent, self.unread()))
        except TimeoutError as exc:
            if app is None:
                raise
            raise TimeoutError("%s; the app printed: %s" % (exc, app.printed())) from None

    def shutdown(self):
        for conn in self.conns:
            try:
                conn.close()
            except OSError:
                pass
        self.listener.close()


def lines(count, width=64):
    """COUNT LF-terminated lines of WIDTH bytes each, in chunks of about 1 MiB."""
    line = b"x" * (width - 1) + b"\n"
    per_chunk = max(1, (1 << 20) // width)
    left = count
    while left > 0:
        n = min(left, per_chunk)
        yield line * n
        left -= n


def one_line(size, chunk=1 << 20):
    """One line of SIZE bytes (the LF included), in chunks."""
    body = b"y" * chunk
    left = size - 1
    while left > 0:
        n = min(left, chunk)
        yield body[:n]
        left -= n
    yield b"\n"
