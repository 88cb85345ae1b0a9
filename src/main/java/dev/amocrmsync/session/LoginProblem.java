package dev.amocrmsync.session;

/** Why a login did not work, each with what the operator can do about it. */
public enum LoginProblem {
    NOT_CONFIGURED("AMOCRM_EMAIL and AMOCRM_PASSWORD are not both set; set them for the session service"),
    BROWSER_UNAVAILABLE("Chromium cannot start; install it (apt-get install -y chromium) or point AMOCRM_SESSION_CHROMIUM"
            + " at it"),
    HOST_UNREACHABLE("the amoCRM login page cannot be reached; check AMOCRM_SUBDOMAIN / AMOCRM_BASE_URL and the network"),
    WRONG_CREDENTIALS("amoCRM refused the e-mail or password; fix AMOCRM_EMAIL / AMOCRM_PASSWORD, then POST /api/relogin"),
    CAPTCHA("amoCRM shows a captcha the service cannot pass; log in once by hand from this host, or use AMOCRM_ACCESS_TOKEN"),
    SECOND_FACTOR("amoCRM asks for a second factor the service cannot give; use AMOCRM_ACCESS_TOKEN for this account"),
    PAGE_CHANGED("the login page no longer looks as expected; use AMOCRM_ACCESS_TOKEN until the service is updated");

    private final String advice;

    LoginProblem(String advice) {
        this.advice = advice;
    }

    public String advice() {
        return advice;
    }
}
