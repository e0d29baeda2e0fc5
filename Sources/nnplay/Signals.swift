import Foundation
import NNPlayShell

/// Ctrl-C raises this flag; training and other long work poll it and stop at a clean boundary.
let processInterrupt = InterruptFlag()
/// SIGTERM raises this one (and the interrupt flag): the work in hand stops at a clean boundary,
/// then nnplay exits with status 143.
let processTerminate = InterruptFlag()

/// Installs the SIGINT handler (so that Ctrl-C never kills the session), the SIGTERM handler (a clean
/// stop), and ignores SIGPIPE (so that a closed output pipe is seen as a write error and answered by a
/// quiet exit).
func installSignalHandlers() {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in processInterrupt.raise() }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0   // no SA_RESTART: a blocking read returns so the prompt can start over
    sigaction(SIGINT, &action, nil)
    var term = sigaction()
    term.__sigaction_handler.sa_handler = { _ in
        processTerminate.raise()
        processInterrupt.raise()
    }
    sigemptyset(&term.sa_mask)
    term.sa_flags = 0
    sigaction(SIGTERM, &term, nil)
    // a parent may have started us with SIGINT or SIGTERM blocked (test harnesses do): both must still work
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    sigprocmask(SIG_UNBLOCK, &set, nil)
    signal(SIGPIPE, SIG_IGN)
}
