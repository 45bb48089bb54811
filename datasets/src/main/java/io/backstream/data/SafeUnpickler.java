package io.backstream.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads the Python 2 cPickle protocol-2 subset that the CIFAR-10 python version uses, and nothing
 * else. Unlike a general unpickler it never resolves arbitrary GLOBALs: the only callables are
 * numpy's array and dtype reconstructors, which build plain Java values ({@link NdArray},
 * {@link Dtype}). Every value remembers the byte offset of the opcode that made it, so a
 * decoder can point at the exact byte of a bad label.
 *
 * <p>Values: py2 str = {@code byte[]}, int = {@link Integer}, bool = {@link Boolean}, None =
 * {@link #NONE}, list = {@link PyList}, dict with str keys = {@link PyDict}, tuple = {@link PyTuple}.
 */
final class SafeUnpickler {

    /** Python's None. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** A list and the offset of the opcode that produced each item. */
    static final class PyList {
        final List<Object> items = new ArrayList<>();
        private long[] offsets = new long[16];

        void add(Object item, long offset) {
            if (items.size() == offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[items.size()] = offset;
            items.add(item);
        }

        long offsetOf(int index) {
            return offsets[index];
        }
    }

    /** A dict with py2 str keys (decoded as latin-1, as Python 3 does with encoding='latin1'). */
    static final class PyDict {
        final Map<String, Object> entries = new LinkedHashMap<>();
        private final Map<String, Long> valueOffsets = new HashMap<>();

        void put(String key, Object value, long offset) {
            entries.put(key, value);
            valueOffsets.put(key, offset);
        }

        long offsetOf(String key) {
            return valueOffsets.get(key);
        }
    }

    record PyTuple(List<Object> items) {
    }

    /** numpy.dtype(descr, align, copy) after BUILD: only the type string matters to CIFAR. */
    static final class Dtype {
        final String descr;
        String byteOrder;

        Dtype(String descr) {
            this.descr = descr;
        }
    }

    /** A numpy.ndarray: empty after _reconstruct, filled by BUILD with the 5-item version-1 state. */
    static final class NdArray {
        List<Integer> shape;
        Dtype dtype;
        boolean fortranOrder;
        byte[] data;
    }

    private record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    private record Memo(Object value, long offset) {
    }

    private static final Global RECONSTRUCT = new Global("numpy.core.multiarray", "_reconstruct");
    private static final Global NDARRAY = new Global("numpy", "ndarray");
    private static final Global DTYPE = new Global("numpy", "dtype");
    private static final Set<Global> ALLOWED_GLOBALS = Set.of(RECONSTRUCT, NDARRAY, DTYPE);

    private final PositionedInput in;
    private final List<Object> stack = new ArrayList<>();
    private long[] stackOffsets = new long[64];
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Integer, Memo> memo = new HashMap<>();
    /** Offset of the opcode being executed, for error messages. */
    private long opOffset;

    SafeUnpickler(PositionedInput in) {
        this.in = in;
    }

    /** A loaded value and the offset of the opcode that produced it. */
    record Loaded(Object value, long offset) {
    }

    /** Loads one pickle; the input must end right after its STOP. */
    Loaded load() throws IOException {
        opOffset = in.position();
        int proto = in.readUnsignedByte("the PROTO opcode");
        if (proto != 0x80) {
            throw error(String.format("not a protocol-2 pickle: first byte is 0x%02x, expected PROTO 0x80", proto));
        }
        int version = in.readUnsignedByte("the argument of PROTO");
        if (version != 2) {
            throw error("pickle protocol " + version + " is not supported, only protocol 2 (Python 2 cPickle)");
        }
        while (true) {
            opOffset = in.position();
            int op = in.readUnsignedByte("the next opcode (the pickle has no STOP)");
            if (op == '.') {
                return stop();
            }
            execute(op);
        }
    }

    private Loaded stop() throws IOException {
        if (!marks.isEmpty() || stack.size() != 1) {
            throw error("STOP with " + stack.size() + " values and " + marks.size() + " open MARKs on the stack, "
                    + "expected exactly one value");
        }
        if (!in.atEnd()) {
            throw new DatasetFormatException(in.source(), in.position(), "unexpected data after the pickle's STOP");
        }
        return new Loaded(stack.get(0), stackOffsets[0]);
    }

    private void execute(int op) throws IOException {
        switch (op) {
            case '}' -> push(new PyDict());
            case ']' -> push(new PyList());
            case ')' -> push(new PyTuple(List.of()));
            case '(' -> marks.add(stack.size());
            case 'N' -> push(NONE);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'K' -> push(in.readUnsignedByte(argument("BININT1")));
            case 'M' -> push(in.readUnsignedShortLE(argument("BININT2")));
            case 'J' -> push(in.readIntLE(argument("BININT")));
            case 'U' -> push(in.readBytes(in.readUnsignedByte(argument("SHORT_BINSTRING")), argument("SHORT_BINSTRING")));
            case 'T' -> push(binString());
            case 'q' -> remember(in.readUnsignedByte(argument("BINPUT")));
            case 'r' -> remember(in.readIntLE(argument("LONG_BINPUT")));
            case 'h' -> recall(in.readUnsignedByte(argument("BINGET")));
            case 'j' -> recall(in.readIntLE(argument("LONG_BINGET")));
            case 'c' -> push(global());
            case 't' -> push(new PyTuple(Collections.unmodifiableList(popToMark("TUPLE").values)));
            case 0x85 -> push(new PyTuple(popValues(1, "TUPLE1")));
            case 0x86 -> push(new PyTuple(popValues(2, "TUPLE2")));
            case 0x87 -> push(new PyTuple(popValues(3, "TUPLE3")));
            case 'a' -> append(popWithOffsets(1, "APPEND"));
            case 'e' -> appends();
            case 's' -> setItems(popWithOffsets(2, "SETITEM"), "SETITEM");
            case 'u' -> setItems(popToMark("SETITEMS"), "SETITEMS");
            case 'R' -> reduce();
            case 'b' -> build();
            default -> throw error(String.format("unknown or unsupported pickle opcode 0x%02x%s (this reader accepts "
                    + "only the Python 2 cPickle protocol-2 subset used by CIFAR-10)", op,
                    op >= 0x20 && op < 0x7f ? " '" + (char) op + "'" : ""));
        }
    }

    private String argument(String opcode) {
        return "the argument of " + opcode + " at offset " + opOffset;
    }

    private byte[] binString() throws IOException {
        int length = in.readIntLE(argument("BINSTRING"));
        if (length < 0) {
            throw error("BINSTRING with negative length " + length);
        }
        return in.readBytes(length, "the " + length + "-byte string of BINSTRING at offset " + opOffset);
    }

    private Global global() throws IOException {
        String module = in.readLine(128, "the module name of GLOBAL at offset " + opOffset);
        String name = in.readLine(128, "the name of GLOBAL at offset " + opOffset);
        Global global = new Global(module, name);
        if (!ALLOWED_GLOBALS.contains(global)) {
            throw error("GLOBAL " + global + " is not allowed (only " + RECONSTRUCT + ", " + NDARRAY + " and " + DTYPE
                    + " may appear in a CIFAR-10 pickle)");
        }
        return global;
    }

    private void remember(int index) throws DatasetFormatException {
        if (stack.isEmpty()) {
            throw error("BINPUT with an empty stack");
        }
        memo.put(index, new Memo(stack.get(stack.size() - 1), stackOffsets[stack.size() - 1]));
    }

    private void recall(int index) throws DatasetFormatException {
        Memo m = memo.get(index);
        if (m == null) {
            throw error("BINGET of memo index " + index + ", which was never stored");
        }
        push(m.value, m.offset);
    }

    private void appends() throws DatasetFormatException {
        Popped items = popToMark("APPENDS");
        requireStack(1, "APPENDS");
        Object target = stack.get(stack.size() - 1);
        if (!(target instanceof PyList list)) {
            throw error("APPENDS to a " + typeName(target) + ", expected a list");
        }
        for (int i = 0; i < items.values.size(); i++) {
            list.add(items.values.get(i), items.offsets[i]);
        }
    }

    private void append(Popped item) throws DatasetFormatException {
        requireStack(1, "APPEND");
        Object target = stack.get(stack.size() - 1);
        if (!(target instanceof PyList list)) {
            throw error("APPEND to a " + typeName(target) + ", expected a list");
        }
        list.add(item.values.get(0), item.offsets[0]);
    }

    private void setItems(Popped items, String opcode) throws DatasetFormatException {
        if (items.values.size() % 2 != 0) {
            throw error(opcode + " with an odd number of items (" + items.values.size() + ")");
        }
        requireStack(1, opcode);
        Object target = stack.get(stack.size() - 1);
        if (!(target instanceof PyDict dict)) {
            throw error(opcode + " to a " + typeName(target) + ", expected a dict");
        }
        for (int i = 0; i < items.values.size(); i += 2) {
            if (!(items.values.get(i) instanceof byte[] key)) {
                throw new DatasetFormatException(in.source(), items.offsets[i],
                        "dict key is a " + typeName(items.values.get(i)) + ", expected a str");
            }
            dict.put(new String(key, StandardCharsets.ISO_8859_1), items.values.get(i + 1), items.offsets[i + 1]);
        }
    }

    private void reduce() throws DatasetFormatException {
        requireStack(2, "REDUCE");
        long callableOffset = stackOffsets[stack.size() - 2];
        List<Object> popped = popValues(2, "REDUCE");
        if (!(popped.get(0) instanceof Global callable) || !(popped.get(1) instanceof PyTuple args)) {
            throw error("REDUCE needs a GLOBAL and an argument tuple, got " + typeName(popped.get(0)) + " and "
                    + typeName(popped.get(1)));
        }
        List<Object> a = args.items();
        if (callable.equals(RECONSTRUCT)) {
            // _reconstruct(ndarray, (0,), 'b') makes the empty array that BUILD then fills.
            if (a.size() != 3 || !NDARRAY.equals(a.get(0)) || !(a.get(1) instanceof PyTuple)
                    || !(a.get(2) instanceof byte[])) {
                throw error("_reconstruct expects (numpy.ndarray, shape tuple, str), got " + describe(a));
            }
            push(new NdArray(), callableOffset);
        } else if (callable.equals(DTYPE)) {
            // dtype('u1', 0, 1): numpy of 2009 passes ints, current numpy passes False, True.
            if (a.size() != 3 || !(a.get(0) instanceof byte[] descr) || !isIntOrBool(a.get(1))
                    || !isIntOrBool(a.get(2))) {
                throw error("numpy.dtype expects (str, int, int), got " + describe(a));
            }
            push(new Dtype(new String(descr, StandardCharsets.ISO_8859_1)), callableOffset);
        } else {
            throw error(callable + " cannot be called (only " + RECONSTRUCT + " and " + DTYPE + " can)");
        }
    }

    private void build() throws DatasetFormatException {
        requireStack(2, "BUILD");
        Object state = popValues(1, "BUILD").get(0);
        Object target = stack.get(stack.size() - 1);
        if (!(state instanceof PyTuple tuple)) {
            throw error("BUILD state is a " + typeName(state) + ", expected a tuple");
        }
        List<Object> s = tuple.items();
        if (target instanceof Dtype dtype) {
            // (version, byteorder, subarray, names, fields, elsize, alignment, flags)
            if (s.size() < 2 || !(s.get(0) instanceof Integer) || !(s.get(1) instanceof byte[] order)) {
                throw error("dtype state expects (version, byte order, ...), got " + describe(s));
            }
            dtype.byteOrder = new String(order, StandardCharsets.ISO_8859_1);
        } else if (target instanceof NdArray array) {
            // version-1 state: (1, shape, dtype, is_fortran, raw bytes)
            if (s.size() != 5 || !Integer.valueOf(1).equals(s.get(0)) || !(s.get(1) instanceof PyTuple shape)
                    || !(s.get(2) instanceof Dtype dtype) || !isIntOrBool(s.get(3))
                    || !(s.get(4) instanceof byte[] data)) {
                throw error("ndarray state expects (1, shape, dtype, is_fortran, str), got " + describe(s));
            }
            List<Integer> dims = new ArrayList<>();
            for (Object dim : shape.items()) {
                if (!(dim instanceof Integer d) || d < 0) {
                    throw error("ndarray shape holds " + dim + ", expected non-negative ints");
                }
                dims.add(d);
            }
            array.shape = List.copyOf(dims);
            array.dtype = dtype;
            array.fortranOrder = Boolean.TRUE.equals(s.get(3)) || Integer.valueOf(1).equals(s.get(3));
            array.data = data;
        } else {
            throw error("BUILD on a " + typeName(target) + " (only numpy arrays and dtypes can be built)");
        }
    }

    private static boolean isIntOrBool(Object o) {
        return o instanceof Integer || o instanceof Boolean;
    }

    // ---- the stack, with the offset of each value's opcode alongside ----

    private void push(Object value) {
        push(value, opOffset);
    }

    private void push(Object value, long offset) {
        if (stack.size() == stackOffsets.length) {
            stackOffsets = Arrays.copyOf(stackOffsets, stackOffsets.length * 2);
        }
        stackOffsets[stack.size()] = offset;
        stack.add(value);
    }

    private record Popped(List<Object> values, long[] offsets) {
    }

    private Popped popToMark(String opcode) throws DatasetFormatException {
        if (marks.isEmpty()) {
            throw error(opcode + " without a preceding MARK");
        }
        int from = marks.remove(marks.size() - 1);
        return popFrom(from);
    }

    private Popped popWithOffsets(int count, String opcode) throws DatasetFormatException {
        requireStack(count, opcode);
        return popFrom(stack.size() - count);
    }

    private List<Object> popValues(int count, String opcode) throws DatasetFormatException {
        return popWithOffsets(count, opcode).values;
    }

    private Popped popFrom(int from) {
        List<Object> tail = stack.subList(from, stack.size());
        Popped popped = new Popped(new ArrayList<>(tail), Arrays.copyOfRange(stackOffsets, from, stack.size()));
        tail.clear();
        return popped;
    }

    private void requireStack(int count, String opcode) throws DatasetFormatException {
        int base = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() - base < count) {
            throw error(opcode + " needs " + count + " value(s) on the stack, found " + (stack.size() - base));
        }
    }

    private DatasetFormatException error(String problem) {
        return new DatasetFormatException(in.source(), opOffset, problem);
    }

    static String typeName(Object value) {
        if (value instanceof byte[]) {
            return "str";
        } else if (value instanceof Integer) {
            return "int";
        } else if (value instanceof Boolean) {
            return "bool";
        } else if (value == NONE) {
            return "None";
        } else if (value instanceof PyList) {
            return "list";
        } else if (value instanceof PyDict) {
            return "dict";
        } else if (value instanceof PyTuple) {
            return "tuple";
        } else if (value instanceof NdArray) {
            return "numpy.ndarray";
        } else if (value instanceof Dtype) {
            return "numpy.dtype";
        } else if (value instanceof Global g) {
            return "global " + g;
        }
        return value.getClass().getSimpleName();
    }

    private static String describe(List<Object> items) {
        List<String> types = new ArrayList<>();
        for (Object item : items) {
            types.add(typeName(item));
        }
        return "(" + String.join(", ", types) + ")";
    }
}
