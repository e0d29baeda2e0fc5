#!/usr/bin/env python3
"""Drives nnplay's interactive prompt in a real pseudo-terminal with pexpect.

Usage: python3 Tests/pty/repl_test.py /path/to/nnplay

Prints one line per check (PASS/FAIL), then `N passed, M failed`; exits 0 only when every check passed.
Each check starts its own nnplay (TERM=xterm, 30x120, a temporary NNPLAY_HISTORY file, unless its CHECKS
entry asks for another TERM or size), so one failure does not spoil the others. Run by Tests/NNPlayEndToEndTests/PseudoTerminalTests.swift under `swift test`.
"""

import os
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback

try:
    import pexpect
except ImportError:
    print("repl_test.py: the Python module pexpect is missing; run .ci/setup (or: pip install pexpect)")
    sys.exit(3)

PROMPT = "nnplay> "
TIMEOUT = 20  # seconds per expect
ROWS, COLUMNS = 30, 120


class CheckFailed(Exception):
    pass


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


class Screen:
    """A small terminal model fed with everything nnplay writes (pexpect's logfile_read).

    It knows enough of what libedit emits (carriage return, backspace, cursor to column, cursor
    left/right/up/down, erase to end of line, insert and delete characters) to tell what the current line shows, where the raw
    output is e.g. `sta\\a\\r\\x1b[12Gts ` for a completed `stats `. Other escapes are ignored."""

    CSI = re.compile(r"\x1b\[([0-9;?]*)([@-~])")

    def __init__(self):
        self.rows = [[]]
        self.row = 0
        self.col = 0
        self.pending = ""
        self.raw = []

    # the file interface pexpect's logfile_read needs
    def write(self, text):
        self.raw.append(text)
        self.feed(text)

    def flush(self):
        pass

    def feed(self, text):
        text = self.pending + text
        self.pending = ""
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "\x1b":
                match = self.CSI.match(text, i)
                if match:
                    self.control(match.group(1), match.group(2))
                    i = match.end()
                    continue
                if i + 1 >= len(text) or re.fullmatch(r"\x1b\[[0-9;?]*", text[i:]):
                    self.pending = text[i:]  # an escape cut in two by a read
                    return
                i += 2  # another two-character escape: ignore
                continue
            if ch == "\r":
                self.col = 0
            elif ch == "\n":
                self.down(1)
            elif ch == "\b":
                self.col = max(0, self.col - 1)
            elif ch == "\t":
                self.col = (self.col // 8 + 1) * 8
            elif ch < " " or ch == "\x7f":
                pass  # bell and other controls
            else:
                line = self.rows[self.row]
                while len(line) < self.col:
                    line.append(" ")
                if self.col < len(line):
                    line[self.col] = ch
                else:
                    line.append(ch)
                self.col += 1
            i += 1

    def down(self, n):
        self.row += n
        while len(self.rows) <= self.row:
            self.rows.append([])

    def control(self, params, final):
        numbers = [int(p) for p in params.replace("?", "").split(";") if p.isdigit()]
        n = numbers[0] if numbers else 1
        if final == "G":
            self.col = max(0, n - 1)
        elif final == "C":
            self.col += n
        elif final == "D":
            self.col = max(0, self.col - n)
        elif final == "A":
            self.row = max(0, self.row - n)
        elif final == "B":
            self.down(n)
        elif final == "K":
            mode = numbers[0] if numbers else 0
            line = self.rows[self.row]
            if mode == 0:
                del line[self.col:]
            elif mode == 1:
                for k in range(min(self.col + 1, len(line))):
                    line[k] = " "
            else:
                line.clear()
        elif final == "@":  # insert n blanks at the cursor (libedit inserts an opening quote so)
            line = self.rows[self.row]
            while len(line) < self.col:
                line.append(" ")
            line[self.col:self.col] = [" "] * n
        elif final == "P":  # delete n characters at the cursor
            del self.rows[self.row][self.col:self.col + n]
        elif final == "J" and (numbers[0] if numbers else 0) == 2:
            self.rows = [[] for _ in self.rows]

    def line(self, k=None):
        return "".join(self.rows[self.row if k is None else k])

    def lines(self):
        return ["".join(r) for r in self.rows]

    def tail(self, n=15):
        return "\n".join("    | " + l for l in self.lines()[-n:])


class Session:
    """One nnplay process in a pseudo-terminal."""

    def __init__(self, binary, history, term="xterm", dimensions=(ROWS, COLUMNS), lang=None):
        """term: the TERM variable (None: unset); dimensions: (rows, columns) of the window; lang:
        LANG (with LC_ALL and LC_CTYPE unset), or None to keep the environment's."""
        self.binary = binary
        env = dict(os.environ)
        for name in ("NO_COLOR", "COLORTERM", "TERM"):
            env.pop(name, None)
        if term is not None:
            env["TERM"] = term
        if lang is not None:
            for name in ("LC_ALL", "LC_CTYPE"):
                env.pop(name, None)
            env["LANG"] = lang
        rows, columns = dimensions
        env.update(NNPLAY_HISTORY=history, COLUMNS=str(columns), LINES=str(rows))
        self.screen = Screen()
        self.child = pexpect.spawn(binary, [], env=env, dimensions=dimensions, timeout=TIMEOUT,
                                   encoding="utf-8", codec_errors="replace")
        self.child.logfile_read = self.screen

    def expect(self, pattern, what=None):
        try:
            return self.child.expect(pattern)
        except pexpect.TIMEOUT:
            raise CheckFailed(f"timed out after {TIMEOUT} s waiting for {what or repr(pattern)}")
        except pexpect.EOF:
            raise CheckFailed(f"nnplay ended while waiting for {what or repr(pattern)}")

    def prompt(self):
        """Waits for a prompt at the start of a line."""
        self.expect(r"(^|[\r\n])(\x1b\[[0-9;]*[A-Za-z])*" + re.escape(PROMPT), "the prompt 'nnplay> '")

    def run(self, line):
        """Sends one line and waits for the next prompt; returns the screen lines written meanwhile."""
        start = len(self.screen.rows) - 1
        self.child.send(line + "\r")
        self.prompt()
        return self.screen.lines()[start:]

    def wait_for_line(self, predicate, what):
        """Reads output until the current screen line satisfies predicate."""
        deadline = time.time() + TIMEOUT
        while not predicate(self.screen.line()):
            if time.time() > deadline:
                raise CheckFailed(f"timed out waiting for the line to show {what}; "
                                  f"it shows {self.screen.line()!r}")
            try:
                self.child.expect(r"(?s).+", timeout=0.2)
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                raise CheckFailed(f"nnplay ended while waiting for {what}")

    def settle(self, seconds=0.3):
        """Reads whatever arrives for a moment."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                self.child.expect(r"(?s).+", timeout=0.1)
            except (pexpect.TIMEOUT, pexpect.EOF):
                pass

    def finish(self):
        """Leaves with Ctrl-D and returns the exit status."""
        self.child.sendeof()
        self.expect(pexpect.EOF, "the end of nnplay after Ctrl-D")
        self.child.close()
        return self.child.exitstatus

    def kill(self):
        if self.child.isalive():
            self.child.close(force=True)


def stats_values(lines):
    """The key=value pairs of the last stats line among lines."""
    for line in reversed(lines):
        start = line.find("epoch=")
        if start >= 0 and "train-loss=" in line:
            return dict(field.split("=", 1) for field in line[start:].split() if "=" in field)
    return None


# ---------------------------------------------------------------------------------------------------
# Checks. Each gets a started Session (s) and the history file path; raises CheckFailed on failure.

def check_banner_then_prompt(s, history):
    s.prompt()
    banner = s.child.before
    require("nnplay" in banner, f"no banner naming nnplay before the first prompt: {banner!r}")
    require(banner.strip(), "nothing printed before the first prompt")


def check_tab_completes_a_command(s, history):
    s.prompt()
    s.child.send("sta\t")
    s.wait_for_line(lambda l: l.rstrip() == PROMPT + "stats", "'nnplay> stats'")
    lines = s.run("")
    values = stats_values(lines)
    require(values is not None, f"Enter after the completed 'stats' gave no stats line: {lines}")
    require(values.get("epoch") == "0", f"stats on a new playground: epoch={values.get('epoch')}")


def check_tab_completes_an_option(s, history):
    s.prompt()
    s.child.send("data circle no\t")
    s.wait_for_line(lambda l: l.rstrip().endswith("data circle noise="), "'data circle noise='")
    lines = s.run("0.1")
    require(any(l.startswith("data: circle n=500 noise=0.1") for l in lines),
            f"no line starting 'data: circle n=500 noise=0.1' after completing noise=: {lines}")


def check_tab_twice_lists_the_layer_choices(s, history):
    s.prompt()
    start = len(s.screen.rows) - 1
    s.child.send("act \t\t")
    s.expect(r"(?s)(?=.*\ball\b)(?=.*\bout\b)", "the choices 'all' and 'out'")
    s.settle()
    shown = s.screen.lines()[start:]
    words = " ".join(shown).split()
    require("all" in words and "out" in words, f"Tab Tab after 'act ' listed {shown}")


def check_up_arrow_recalls_the_previous_line(s, history):
    s.prompt()
    first = s.run("data xor n=100")
    require(any(l.startswith("data: xor n=100") for l in first), f"'data xor n=100' printed {first}")
    s.child.send("\x1b[A")
    s.wait_for_line(lambda l: l.rstrip() == PROMPT + "data xor n=100", "'nnplay> data xor n=100' after Up")
    again = s.run("")
    require(any(l.startswith("data: xor n=100") for l in again),
            f"Enter on the recalled line did not run it again: {again}")


def check_history_survives_a_restart(s, history):
    s.prompt()
    s.run("set lr 0.1")
    s.child.send("quit\r")
    s.expect(pexpect.EOF, "the end of nnplay after quit")
    s.child.close()
    require(s.child.exitstatus == 0, f"quit exited with status {s.child.exitstatus}")
    require(os.path.exists(history), f"no history file {history} after quit")

    second = Session(s.binary, history)
    try:
        second.prompt()
        second.child.send("\x1b[A")
        second.wait_for_line(lambda l: l.rstrip() in (PROMPT + "set lr 0.1", PROMPT + "quit"),
                             "the last line of the previous session after Up")
        if second.screen.line().rstrip() == PROMPT + "quit":  # quit itself may be kept in the history
            second.child.send("\x1b[A")
            second.wait_for_line(lambda l: l.rstrip() == PROMPT + "set lr 0.1", "'set lr 0.1' after Up Up")
        lines = second.run("")
        require(any("lr=0.1" in l for l in lines), f"running the recalled 'set lr 0.1' printed {lines}")
        status = second.finish()
        require(status == 0, f"Ctrl-D exited with status {status}")
    finally:
        second.kill()


def check_ctrl_c_stops_training_and_keeps_the_weights(s, history):
    s.prompt()
    s.child.send("train 100000\r")
    s.expect("train 100000", "the echo of 'train 100000'")
    time.sleep(1.0)
    require(s.child.isalive(), "nnplay ended during training")
    s.child.sendintr()
    s.expect("interrupted after", "'interrupted after' after Ctrl-C")
    s.prompt()
    values = stats_values(s.run("stats"))
    require(values is not None, "stats after the interrupted training printed no stats line")
    require("train-accuracy" in values, f"stats has no train-accuracy=: {values}")
    epoch = float(values["epoch"])
    require(epoch > 0, f"the interrupted training kept nothing: epoch={values['epoch']}")
    lines = s.run("train 1")
    require(not any("error" in l for l in lines), f"train 1 after the interrupt failed: {lines}")
    after = stats_values(s.run("stats"))
    require(after is not None and float(after["epoch"]) > epoch,
            f"train 1 after the interrupt did not train: epoch {epoch} then {after}")
    require(s.child.isalive(), "nnplay ended")


def check_ctrl_c_at_an_idle_prompt_keeps_the_session(s, history):
    s.prompt()
    for k in (1, 2):
        s.child.sendintr()
        s.prompt()
        require(s.child.isalive(), f"nnplay ended after Ctrl-C number {k} at the prompt")
    values = stats_values(s.run("stats"))
    require(values is not None and values.get("epoch") == "0", f"stats after Ctrl-C Ctrl-C gave {values}")


def check_ctrl_d_leaves_with_status_zero(s, history):
    s.prompt()
    status = s.finish()
    require(status == 0, f"Ctrl-D at an empty prompt exited with status {status} (signal {s.child.signalstatus})")


def check_plot_is_in_colour_at_a_terminal_and_plain_with_ascii(s, history):
    s.prompt()
    s.run("train 5")
    start = len(s.screen.raw)
    s.run("plot size=24")
    coloured = "".join(s.screen.raw[start:])
    require("\x1b[38;5;" in coloured and "\u2580" in coloured,
            "plot at a terminal (TERM=xterm) drew no 256-colour half blocks")
    start = len(s.screen.raw)
    s.run("plot ascii size=24")
    plain = "".join(s.screen.raw[start:])
    picture = plain.split("plot ascii size=24", 1)[-1].rsplit(PROMPT, 1)[0]
    require("\x1b[38" not in picture and "\x1b[48" not in picture, "plot ascii drew colour escape codes")
    require("#" in picture and "-" in picture and "+" in picture, f"plot ascii shows no regions and boundary: {picture!r}")


def check_live_training_redraws_in_place(s, history):
    s.prompt()
    start = len(s.screen.raw)
    s.child.send("train 300 live\r")
    s.expect("epoch 300:", "the summary line of train 300 live")
    s.prompt()
    drawn = "".join(s.screen.raw[start:])
    frames = len(re.findall(r"\x1b\[\d+A", drawn))
    require(frames >= 2, f"train 300 live redrew the picture {frames} times (cursor-up moves); expected several")
    require(drawn.count("loss ") >= frames, "the live frames show no loss line")
    values = stats_values(s.run("stats"))
    require(values is not None and values.get("epoch") == "300", f"stats after train 300 live: {values}")


def check_live_slow_is_paced_and_ctrl_c_stops_it(s, history):
    """train 20 live slow: a frame every epoch at 10 a second, so about 2 s even though the training
    takes milliseconds; then Ctrl-C during train 100000 live slow comes back at once, the epochs kept."""
    s.prompt()
    start = len(s.screen.raw)
    began = time.time()
    s.child.send("train 20 live slow\r")
    s.expect("epoch 20:", "the summary line of train 20 live slow")
    took = time.time() - began
    s.prompt()
    drawn = "".join(s.screen.raw[start:])
    frames = len(re.findall(r"\x1b\[\d+A", drawn)) + 1
    require(took >= 1.0, f"train 20 live slow took {took:.2f} s; paced at 10 frames a second it should take about 2 s")
    require(frames >= 10, f"train 20 live slow drew {frames} frames; expected one an epoch")
    require("epochs 1\u201320" in drawn, "the loss chart of train 20 live slow shows no epoch range 1-20")
    s.child.send("train 100000 live slow\r")
    s.expect(r"\x1b\[\d+A", "the first redraw of train 100000 live slow")
    time.sleep(0.5)
    stopped = time.time()
    s.child.sendintr()
    s.expect("interrupted after", "'interrupted after' after Ctrl-C during train 100000 live slow")
    s.prompt()
    require(time.time() - stopped < 2.0, f"Ctrl-C took {time.time() - stopped:.2f} s to stop train 100000 live slow")
    # read from the raw output: the screen model's rows are off after the frames' cursor moves
    s.child.send("stats\r")
    s.expect(r"epoch=([0-9.]+) train-loss=", "the stats line after the interrupted train 100000 live slow")
    epoch = float(s.child.match.group(1))
    s.prompt()
    require(epoch > 20, f"the epochs of the interrupted train 100000 live slow were not kept: epoch={epoch}")


SENTINEL = "; expect epoch >= 0"  # prints "ok: epoch …" once the commands before it have run


def run_then_sentinel(s, command):
    """Sends `command; expect epoch >= 0` and waits for the `ok: epoch` line, then the prompt; returns
    the raw output from the sending to the `ok:` line. Waiting for the sentinel rather than for the
    prompt alone keeps this right in a tiny window, where the line editor may redraw its prompt while
    echoing a wrapped line."""
    start = len(s.screen.raw)
    s.child.send(command + SENTINEL + "\r")
    s.expect(r"ok: epoch", f"the end of '{command}' (the 'ok: epoch' line of{SENTINEL})")
    raw = "".join(s.screen.raw[start:])
    s.prompt()
    require(s.child.isalive(), f"nnplay ended after '{command}'")
    return raw.rsplit("ok: epoch", 1)[0]


def check_dumb_terminal_draws_plain_pictures(s, history):
    """TERM=dumb (and, in a second nnplay, no TERM at all) at a real terminal: no colour escape codes,
    the pictures in plain characters."""
    for label, session in (("TERM=dumb", s), ("TERM unset", None)):
        if session is None:
            session = Session(s.binary, history + "-unset", term=None)
        try:
            session.prompt()
            run_then_sentinel(session, "train 5")
            for command in ("plot", "plot net", "plot layer 1", "plot loss"):
                raw = run_then_sentinel(session, command)
                codes = sorted(set(re.findall(r"\x1b\[[0-9;]*m", raw)))
                require(not codes, f"{label}: '{command}' drew colour escape codes {codes[:6]}")
                picture = raw.split(SENTINEL, 1)[-1]
                require(picture.count("\n") >= 5, f"{label}: '{command}' drew no picture: {picture!r}")
            if session is not s:
                require(session.finish() == 0, f"{label}: Ctrl-D did not exit with status 0")
        finally:
            if session is not s:
                session.kill()


def check_dumb_terminal_gets_no_cursor_movements(s, history):
    """TERM=dumb cannot move the cursor or erase a line: train's progress and train N live must not
    send escape sequences there (they show up as garbage such as ^[[20A)."""
    s.prompt()
    found = []
    for command in ("train 5", "train 50 live"):
        raw = run_then_sentinel(s, command)
        codes = sorted(set(re.findall(r"\x1b\[[0-9;?]*[@-~]", raw)))
        if codes:
            found.append(f"'{command}' sent {codes[:6]}")
    require(not found, "TERM=dumb: " + "; ".join(found))


def check_tiny_and_huge_windows_and_resizing(s, history):
    """A window 10 columns wide, one 1000 columns wide, and a resize during train N live: the pictures
    and live training neither crash nor hang, and the prompt comes back every time."""
    s.prompt()
    run_then_sentinel(s, "train 5")
    for rows, columns in ((24, 10), (24, 1000), (3, 10)):
        s.child.setwinsize(rows, columns)
        for command in ("plot", "plot net", "plot loss", "train 50 live"):
            try:
                run_then_sentinel(s, command)
            except CheckFailed as e:
                raise CheckFailed(f"in a {rows}x{columns} window: {e}")
    s.child.setwinsize(ROWS, COLUMNS)
    s.child.send("train 300 live" + SENTINEL + "\r")
    s.expect(r"\x1b\[\d+A", "the first redraw of train 300 live")
    for rows, columns in ((24, 10), (40, 400), (ROWS, COLUMNS)):
        s.child.setwinsize(rows, columns)
        s.settle(0.15)
    s.expect(r"ok: epoch", "the end of train 300 live after resizing the window while it ran")
    s.prompt()
    require(s.child.isalive(), "nnplay ended after resizing during train 300 live")
    start = len(s.screen.raw)
    s.run("stats")  # read from the raw output: the screen model loses its row after resizes
    values = stats_values("".join(s.screen.raw[start:]).replace("\r", "").split("\n"))
    expected = 5 + 3 * 50 + 300
    require(values is not None and values.get("epoch") == str(expected),
            f"stats after every training: expected epoch={expected}, got {values}")


def check_sigterm_at_the_prompt_exits_143(s, history):
    """SIGTERM while nnplay waits at the prompt, and while it trains: status 143."""
    s.prompt()
    s.child.kill(signal.SIGTERM)
    s.expect(pexpect.EOF, "the end of nnplay after SIGTERM at the prompt")
    s.child.close()
    require(s.child.exitstatus == 143, f"SIGTERM at the prompt: exit status {s.child.exitstatus}, "
                                       f"signal {s.child.signalstatus}")
    second = Session(s.binary, history)
    try:
        second.prompt()
        second.child.send("train 100000\r")
        second.expect("train 100000", "the echo of 'train 100000'")
        time.sleep(0.5)
        second.child.kill(signal.SIGTERM)
        second.expect(pexpect.EOF, "the end of nnplay after SIGTERM during train")
        second.child.close()
        require(second.child.exitstatus == 143, f"SIGTERM during train: exit status {second.child.exitstatus}, "
                                                f"signal {second.child.signalstatus}")
    finally:
        second.kill()


def check_sighup_at_the_prompt_exits_129_with_the_history_saved(s, history):
    """SIGHUP (the terminal closed) at the prompt: a clean stop, status 129, the history on disk."""
    s.prompt()
    s.run("stats")
    s.child.kill(signal.SIGHUP)
    s.expect(pexpect.EOF, "the end of nnplay after SIGHUP at the prompt")
    s.child.close()
    require(s.child.exitstatus == 129, f"SIGHUP at the prompt: exit status {s.child.exitstatus}, "
                                       f"signal {s.child.signalstatus}")
    with open(history, encoding="utf-8", errors="replace") as f:
        saved = f.read()
    require("stats" in saved, f"the history file lacks the line typed before SIGHUP: {saved!r}")


def check_non_ascii_typed_at_the_prompt_reaches_the_command(s, history):
    """Characters beyond ASCII typed at the prompt (résumé) reach the command, whatever LANG says."""
    directory = tempfile.mkdtemp(prefix="nnplay-pty-utf8-")
    try:
        s.prompt()
        s.run(f"save model {directory}/résumé.json")
        require(os.path.exists(os.path.join(directory, "résumé.json")),
                f"saving résumé.json made {os.listdir(directory)}")
        # Tab completion of a name beyond ASCII, and a name with a space (quoted, as commands read it)
        os.mkdir(os.path.join(directory, "my dir"))
        with open(os.path.join(directory, "my dir", "points one.csv"), "w") as f:
            f.write("x,y,label\n1,1,0\n2,2,1\n")
        s.child.send(f"data load {directory}/my\t")
        s.wait_for_line(lambda line: f'"{directory}/my dir/' in line, "the quoted directory")
        s.child.send("po\t")
        s.wait_for_line(lambda line: f'"{directory}/my dir/points one.csv"' in line, "the quoted file name")
        s.child.send("\r")
        s.prompt()
        lines = "\n".join(s.screen.lines()[-4:])
        require("2 classes: 1 train / 1 test points" in lines, f"the completed path did not load: {lines}")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def check_a_lesson_is_walked_with_next(s, history):
    s.prompt()
    s.child.send("lesson 2\r")
    s.expect(re.escape("lesson 2 · 1/4 nnplay> "), "the lesson prompt 'lesson 2 · 1/4 nnplay> '")
    shown = s.child.before
    require("step 1/4: One neuron, two weights, one bias" in shown, f"lesson 2 did not show its first step: {shown[-300:]!r}")
    require("set weight out.1 1 1" in shown, "the first step does not list its commands")
    s.child.send("next\r")
    s.expect(re.escape("lesson 2 · 2/4 nnplay> "), "the prompt of step 2")
    ran = s.child.before
    require("ok: neuron out.1 at (0, 3) 0.5 == 0.5" in ran, f"next did not run the step's checks: {ran[-400:]!r}")
    require("answer: Exactly 0.5" in ran and "step 2/4: The bias moves the line" in ran, "next showed no answer or no next step")
    s.child.send("back\r")
    s.expect(re.escape("lesson 2 · 1/4 nnplay> "), "back at step 1")
    s.child.send("lesson end\r")
    s.prompt()
    require("your playground is back (circle n=500 noise=0" in s.child.before, f"lesson end: {s.child.before[-200:]!r}")


CHECKS = [
    ("the banner appears, then the prompt", check_banner_then_prompt),
    ("Tab completes a command (sta -> stats), Enter runs it", check_tab_completes_a_command),
    ("Tab completes an option (data circle no -> noise=)", check_tab_completes_an_option),
    ("Tab twice after 'act ' lists all and out", check_tab_twice_lists_the_layer_choices),
    ("Up recalls the previous line, Enter runs it again", check_up_arrow_recalls_the_previous_line),
    ("history survives a restart (NNPLAY_HISTORY)", check_history_survives_a_restart),
    ("Ctrl-C stops a long train, keeps the weights, the session goes on",
     check_ctrl_c_stops_training_and_keeps_the_weights),
    ("Ctrl-C twice at an idle prompt gives new prompts, nnplay stays", check_ctrl_c_at_an_idle_prompt_keeps_the_session),
    ("Ctrl-D at an empty prompt exits with status 0", check_ctrl_d_leaves_with_status_zero),
    ("plot draws colour half blocks at a terminal, plain characters with ascii",
     check_plot_is_in_colour_at_a_terminal_and_plain_with_ascii),
    ("train N live redraws the output map in place, then the prompt", check_live_training_redraws_in_place),
    ("train 20 live slow is paced to be watched; Ctrl-C stops train 100000 live slow, keeping the epochs",
     check_live_slow_is_paced_and_ctrl_c_stops_it),
    ("a lesson at the prompt: lesson 2, next runs its step and checks, back, lesson end",
     check_a_lesson_is_walked_with_next),
    # (name, check, Session options): a check may ask for another TERM or window size
    ("TERM=dumb or unset: plot, plot net, plot layer 1, plot loss draw no colour codes",
     check_dumb_terminal_draws_plain_pictures, dict(term="dumb")),
    ("TERM=dumb: train's progress and train N live send no cursor movements",
     check_dumb_terminal_gets_no_cursor_movements, dict(term="dumb")),
    ("10 and 1000 columns, and a resize during train N live: pictures draw, the prompt returns",
     check_tiny_and_huge_windows_and_resizing),
    ("SIGTERM at the prompt and during train exits with status 143", check_sigterm_at_the_prompt_exits_143),
    ("SIGHUP at the prompt exits with status 129 and the history saved",
     check_sighup_at_the_prompt_exits_129_with_the_history_saved),
    ("non-ASCII typed at the prompt (LANG=C.UTF-8) reaches the command; quoted path completion",
     check_non_ascii_typed_at_the_prompt_reaches_the_command, dict(lang="C.UTF-8")),
    ("non-ASCII typed at the prompt with LANG=C still reaches the command",
     check_non_ascii_typed_at_the_prompt_reaches_the_command, dict(lang="C")),
]


def main(argv):
    if len(argv) != 2:
        print("usage: python3 Tests/pty/repl_test.py /path/to/nnplay", file=sys.stderr)
        return 2
    binary = os.path.abspath(argv[1])
    if not os.access(binary, os.X_OK):
        print(f"repl_test.py: {binary} is not an executable (build it with swift build)")
        return 2

    # A process started from a thread that blocks signals (Foundation's Process, called from a Swift
    # Testing worker thread, does this) inherits the blocked mask, and so would nnplay through fork and
    # exec: Ctrl-C would then do nothing. A shell at a terminal gives its commands an empty mask; so do we.
    blocked = signal.pthread_sigmask(signal.SIG_SETMASK, [])
    if signal.SIGINT in blocked:
        print("note: SIGINT was blocked on entry (unblocked now, as a shell would for nnplay)", flush=True)

    passed = failed = 0
    directory = tempfile.mkdtemp(prefix="nnplay-pty-")
    try:
        for number, (name, check, *options) in enumerate(CHECKS, 1):
            history = os.path.join(directory, f"history-{number}")
            s = Session(binary, history, **(options[0] if options else {}))
            try:
                check(s, history)
                passed += 1
                print(f"PASS {name}", flush=True)
            except CheckFailed as e:
                failed += 1
                print(f"FAIL {name}: {e}\n  the terminal showed (last lines):\n{s.screen.tail()}", flush=True)
            except Exception:
                failed += 1
                print(f"FAIL {name}: unexpected error\n{traceback.format_exc()}"
                      f"  the terminal showed (last lines):\n{s.screen.tail()}", flush=True)
            finally:
                s.kill()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
