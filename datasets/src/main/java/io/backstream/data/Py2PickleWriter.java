package io.backstream.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Emits Python 2 cPickle protocol-2 opcodes with cPickle's memo rules: indices from 1, BINPUT
 * below 256 and LONG_BINPUT from 256 on. The caller decides which objects are memoized (cPickle
 * memoizes an object only while something else still references it), this class counts.
 */
final class Py2PickleWriter {

    private final OutputStream out;
    private int nextMemo = 1;

    Py2PickleWriter(OutputStream out) {
        this.out = out;
    }

    void proto() throws IOException {
        out.write(0x80);
        out.write(2);
    }

    void stop() throws IOException {
        out.write('.');
    }

    void emptyDict() throws IOException {
        out.write('}');
    }

    void emptyList() throws IOException {
        out.write(']');
    }

    void mark() throws IOException {
        out.write('(');
    }

    void setItems() throws IOException {
        out.write('u');
    }

    void setItem() throws IOException {
        out.write('s');
    }

    void appends() throws IOException {
        out.write('e');
    }

    void append() throws IOException {
        out.write('a');
    }

    void tuple() throws IOException {
        out.write('t');
    }

    /** TUPLE1, TUPLE2 or TUPLE3: tuples of up to three items need no MARK. */
    void smallTuple(int size) throws IOException {
        if (size < 1 || size > 3) {
            throw new IllegalArgumentException("TUPLE1..3 take 1..3 items, not " + size);
        }
        out.write(0x84 + size);
    }

    void reduce() throws IOException {
        out.write('R');
    }

    void build() throws IOException {
        out.write('b');
    }

    void none() throws IOException {
        out.write('N');
    }

    void newFalse() throws IOException {
        out.write(0x89);
    }

    void global(String module, String name) throws IOException {
        out.write('c');
        out.write((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** An int the way cPickle picks the shortest form: BININT1, BININT2, else BININT. */
    void integer(int value) throws IOException {
        if (value >= 0 && value < 256) {
            out.write('K');
            out.write(value);
        } else if (value >= 0 && value < 65536) {
            out.write('M');
            out.write(value);
            out.write(value >>> 8);
        } else {
            out.write('J');
            writeIntLE(value);
        }
    }

    /** A py2 str: SHORT_BINSTRING below 256 bytes, BINSTRING from 256 on. */
    void string(byte[] bytes) throws IOException {
        if (bytes.length < 256) {
            out.write('U');
            out.write(bytes.length);
        } else {
            out.write('T');
            writeIntLE(bytes.length);
        }
        out.write(bytes);
    }

    /** A py2 str that cPickle memoizes, i.e. one still referenced elsewhere (dict keys, list items). */
    void memoizedString(byte[] bytes) throws IOException {
        string(bytes);
        // cPickle never memoizes strings shorter than 2 bytes (they are interned singletons).
        if (bytes.length >= 2) {
            put();
        }
    }

    void memoizedString(String latin1) throws IOException {
        memoizedString(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Stores the top of the stack in the next memo slot. */
    void put() throws IOException {
        int index = nextMemo++;
        if (index < 256) {
            out.write('q');
            out.write(index);
        } else {
            out.write('r');
            writeIntLE(index);
        }
    }

    private void writeIntLE(int value) throws IOException {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }
}
