package dev.amocrmsync.session;

/** A login that did not work, with the kind of problem and what the page said (never the password). */
public final class LoginFailed extends RuntimeException {

    private final LoginProblem problem;

    public LoginFailed(LoginProblem problem, String detail) {
        super("Login to amoCRM failed: " + problem.advice() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"));
        this.problem = problem;
    }

    public LoginProblem problem() {
        return problem;
    }
}
