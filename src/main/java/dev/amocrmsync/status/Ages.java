package dev.amocrmsync.status;

/** Seconds as a person reads an age: {@code 45s}, {@code 3m 07s}, {@code 2h 05m}, {@code 12d 4h}. */
final class Ages {

    private Ages() {
    }

    static String of(Long seconds) {
        if (seconds == null) {
            return "unknown";
        }
        long s = Math.max(0, seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3_600) {
            return "%dm %02ds".formatted(s / 60, s % 60);
        }
        if (s < 86_400) {
            return "%dh %02dm".formatted(s / 3_600, s % 3_600 / 60);
        }
        return "%dd %dh".formatted(s / 86_400, s % 86_400 / 3_600);
    }
}
