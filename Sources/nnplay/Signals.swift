import Foundation
import NNPlayShell
import Synchronization

/// Ctrl-C raises this flag; training and other long work poll it and stop at a clean boundary.
let processInterrupt = InterruptFlag()
/// SIGTERM or SIGHUP (the terminal closed) raises this one (and the interrupt flag): the work in
/// hand stops at a clean boundary, then nnplay exits with 128 + the signal's number.
let processTerminate = InterruptFlag()
/// The signal that asked nnplay to end (SIGTERM or SIGHUP), 0 before one came.
let terminatingSignal = Atomic<Int32>(0)

/// The exit status after a terminating signal: 143 for SIGTERM, 129 for SIGHUP.
var terminationStatus: Int32 {
    let signal = terminatingSignal.load(ordering: .relaxed)
    return 128 + (signal == 0 ? SIGTERM : signal)
}

/// Installs the SIGINT handler (so that Ctrl-C never kills the session), the SIGTERM and SIGHUP
/// handlers (a clean stop: no temporary file left, history saved), and ignores SIGPIPE (so that a
/// closed output pipe is seen as a write error, answered by exit status 141).
func installSignalHandlers() {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in processInterrupt.raise() }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0   // no SA_RESTART: a blocking read returns so the prompt can start over
    sigaction(SIGINT, &action, nil)
    var term = sigaction()
    term.__sigaction_handler.sa_handler = { number in
        // the first terminating signal decides the status
        _ = terminatingSignal.compareExchange(expected: 0, desired: number, ordering: .relaxed)
        processTerminate.raise()
        processInterrupt.raise()
    }
    sigemptyset(&term.sa_mask)
    term.sa_flags = 0
    sigaction(SIGTERM, &term, nil)
    sigaction(SIGHUP, &term, nil)
    // a parent may have started us with these blocked (test harnesses do): they must still work
    var set = sigset_t()
    sigemptyset(&set)
    for number in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, number) }
    sigprocmask(SIG_UNBLOCK, &set, nil)
    signal(SIGPIPE, SIG_IGN)
}
