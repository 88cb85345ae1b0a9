package dev.amocrmsync.simulator;

/** What a list answers, before the server sends it: 200 with a HAL body, 204 with none, or a problem+json error. */
record SimAnswer(int status, byte[] body) {

    static SimAnswer json(byte[] body) {
        return new SimAnswer(200, body);
    }

    static SimAnswer noContent() {
        return new SimAnswer(204, null);
    }

    static SimAnswer problem(int status, String title, String detail) {
        return new SimAnswer(status, LeadJson.problem(status, title, detail, null));
    }
}
