package dev.amocrmsync.simulator;

/** One {@code GET} path of the API (Vert.x syntax, {@code :id} for a parameter) and what answers it. */
record SimRoute(String path, Handler handler) {

    interface Handler {
        SimAnswer answer(SimulatedAccount account, SimQuery query, String baseUrl);
    }
}
