package dev.amocrmsync.sync;

/** The process was asked to stop (SIGTERM) while a run was going. */
public final class RunInterrupted extends RuntimeException {

    RunInterrupted() {
        super("interrupted: the process was asked to stop; no page was half-written and the next run resumes from the"
                + " last committed page");
    }
}
