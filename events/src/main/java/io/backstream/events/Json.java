package io.backstream.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one configured Jackson mapper behind every JSON event, and the rules it enforces.
 *
 * <ul>
 *   <li><b>Non-finite numbers are JSON strings</b>: {@code "NaN"}, {@code "Infinity"},
 *       {@code "-Infinity"}. A diverged loss must still be reported, standard JSON has no token for
 *       it, and a string keeps NaN apart from ±∞ (null would not). Reading accepts those strings and
 *       also the bare {@code NaN}/{@code Infinity} tokens Python's {@code json.dumps} writes, so a
 *       written event always reads back equal.</li>
 *   <li><b>Events between services are read tolerantly</b> ({@link #read}): an unknown field is
 *       ignored, so a producer can add a field before its consumers are upgraded. <b>Input from
 *       users</b> is read strictly ({@link #readStrict}): an unknown field is a typo to report, not
 *       a setting to drop.</li>
 *   <li>Everything else is strict in both: a required (primitive) field missing or null, a string
 *       where a number belongs, a fraction where an integer belongs, a duplicate key, or text after
 *       the value is an error.</li>
 * </ul>
 *
 * Every failure is a {@link MalformedRecordException} naming the field path (e.g.
 * {@code optimizer.betas[1]}) and what was wrong, never a Jackson class name.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // "64" is not 64: a client that quotes numbers has a bug we should show it.
            // (The non-finite strings above are read before this rule applies.)
            .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .build();

    /** Serialises an event; every field is written, absent values as {@code null}. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Only our own records come here; failing to write one is a bug, not bad input.
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Reads an event from another service: unknown fields are ignored. */
    public static <T> T read(String json, Class<T> type) {
        return read(MAPPER.readerFor(type), json, type);
    }

    /** Reads input typed by a user: an unknown field is an error too. */
    public static <T> T readStrict(String json, Class<T> type) {
        return read(MAPPER.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES), json, type);
    }

    private static <T> T read(ObjectReader reader, String json, Class<T> type) {
        String what = type.getSimpleName();
        if (json == null || json.isBlank()) throw new MalformedRecordException(what + ": empty input, expected a JSON object");
        // our own parser, closed only after describe(): a closed parser forgets the token it failed on
        // (and try-with-resources would close it before its catch clauses run)
        JsonParser parser = null;
        try {
            parser = MAPPER.createParser(json);
            T value = reader.readValue(parser);
            if (value == null) throw new MalformedRecordException(what + ": expected a JSON object, got null");
            return value;
        } catch (JsonProcessingException e) {
            throw new MalformedRecordException(what + ": " + describe(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a String cannot fail with I/O", e);
        } finally {
            closeQuietly(parser);
        }
    }

    private static void closeQuietly(JsonParser parser) {
        if (parser == null) return;
        try {
            parser.close();
        } catch (IOException ignored) {
            // a String source has nothing to release
        }
    }

    /** Turns Jackson's exception into "where: what", in the contract's terms. */
    private static String describe(JsonProcessingException e) {
        if (e instanceof StreamReadException && !(e instanceof MismatchedInputException)) {
            var at = e.getLocation();
            return "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + e.getOriginalMessage();
        }
        String path = e instanceof JsonMappingException m ? path(m) : "";
        String where = path.isEmpty() ? "" : path + ": ";
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return "unknown field " + path + " (known fields: " + String.join(", ", known) + ")";
        }
        if (e instanceof InvalidTypeIdException t) {
            String known = String.join(", ", typeNames(t.getBaseType().getRawClass()));
            return where + (t.getTypeId() == null ? "missing" : "unknown type " + quote(t.getTypeId()))
                    + " (expected " + known + ")";
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            return where + v.getCause().getMessage();
        }
        if (e instanceof MismatchedInputException && String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
            var at = e.getLocation();
            return "trailing text after the JSON value at line " + at.getLineNr() + ", column " + at.getColumnNr();
        }
        if (e instanceof MismatchedInputException m && m.getProcessor() instanceof JsonParser p) {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_NULL || token == JsonToken.END_OBJECT) {
                return where + "required, missing or null";
            }
            if (m.getTargetType() != null && token != null) {
                return where + "expected " + kind(m.getTargetType()) + ", got " + describe(p, token);
            }
        }
        return where + firstLine(e.getOriginalMessage());
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** The type names a polymorphic base accepts (its subtypes'), or the one a concrete event has. */
    private static List<String> typeNames(Class<?> base) {
        List<String> names = new ArrayList<>();
        JsonSubTypes subtypes = base.getAnnotation(JsonSubTypes.class);
        if (subtypes != null) {
            for (JsonSubTypes.Type t : subtypes.value()) {
                JsonTypeName n = t.value().getAnnotation(JsonTypeName.class);
                names.add(quote(t.name().isEmpty() && n != null ? n.value() : t.name()));
            }
        } else if (base.getAnnotation(JsonTypeName.class) != null) {
            names.add(quote(base.getAnnotation(JsonTypeName.class).value()));
        }
        return names;
    }

    private static String kind(Class<?> target) {
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class) return "an integer";
        if (target == double.class || target == Double.class || target == float.class || target == Float.class) return "a number";
        if (target == boolean.class || target == Boolean.class) return "true or false";
        if (target == String.class) return "a string";
        if (target.isEnum()) return "one of " + Arrays.stream(target.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
        if (target.isArray() || Collection.class.isAssignableFrom(target)) return "an array";
        return "an object";
    }

    private static String describe(JsonParser p, JsonToken token) {
        try {
            return switch (token) {
                case VALUE_STRING -> "the string " + quote(p.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
                case VALUE_TRUE, VALUE_FALSE -> p.getText();
                case START_ARRAY -> "an array";
                case START_OBJECT -> "an object";
                default -> token.asString() != null ? token.asString() : token.name();
            };
        } catch (IOException ignored) {
            return token.name();
        }
    }

    /** A string as it would appear in JSON, for messages: quoted and escaped. */
    static String quote(String s) {
        return s == null ? "null" : write(s);
    }

    private static String firstLine(String s) {
        if (s == null) return "invalid";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private Json() {}
}
