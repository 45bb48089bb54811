package io.backstream.events;

/** The few argument checks the event records share, with messages that name the field. */
final class Checks {

    static String required(String field, String value) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException(field + ": required, missing or empty");
        return value;
    }

    static <T> T required(String field, T value) {
        if (value == null) throw new IllegalArgumentException(field + ": required, missing or null");
        return value;
    }

    /** A number for a message: integral values without ".0" ("got -1"), others as Java prints them. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString((long) value);
        return Double.toString(value);
    }

    private Checks() {}
}
