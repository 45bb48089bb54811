package io.backstream.trainer.service.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The static API tokens: entries {@code name:role:token}, from configuration
 * ({@code backstream.auth.tokens}, comma-separated) and/or a file ({@code backstream.auth.tokens-file},
 * one entry per line, {@code #} comments). Only SHA-256 digests of the tokens are kept, and a lookup
 * compares against every entry in constant time. No error message ever contains a token.
 */
public final class ApiTokens {
    /** Tokens shorter than this are refused: a static token is a password that never expires. */
    public static final int MIN_TOKEN_LENGTH = 16;

    /** Who a token belongs to, and its role ({@link Roles}). */
    public record Holder(String name, String role) {}

    private record Entry(Holder holder, byte[] digest) {}

    private final List<Entry> entries;

    private ApiTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ApiTokens none() {
        return new ApiTokens(List.of());
    }

    /**
     * Parses the configured entries (each {@code name:role:token}) and those of the file, if any.
     *
     * @param source names where {@code entries} came from, for messages (e.g. the config key)
     * @throws IllegalArgumentException naming every bad entry by source and position (never its token)
     */
    public static ApiTokens parse(List<String> entries, String source, Optional<Path> file) {
        List<String> errors = new ArrayList<>();
        List<Entry> parsed = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String e = entries.get(i).strip();
            if (!e.isEmpty()) add(e, source + " entry " + (i + 1), parsed, errors);
        }
        if (file.isPresent()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
            } catch (IOException ex) {
                throw new IllegalArgumentException("cannot read the API token file " + file.get() + ": " + ex.getMessage(), ex);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.isEmpty() && !line.startsWith("#")) add(line, file.get() + " line " + (i + 1), parsed, errors);
            }
        }
        Set<String> names = new HashSet<>();
        for (Entry e : parsed) {
            if (!names.add(e.holder().name())) errors.add("API token name '" + e.holder().name() + "' is used twice");
        }
        for (int i = 0; i < parsed.size(); i++) {
            for (int j = i + 1; j < parsed.size(); j++) {
                if (MessageDigest.isEqual(parsed.get(i).digest(), parsed.get(j).digest())) {
                    errors.add("API tokens '" + parsed.get(i).holder().name() + "' and '" + parsed.get(j).holder().name() + "' are the same token");
                }
            }
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException("invalid API tokens: " + String.join("; ", errors));
        return new ApiTokens(parsed);
    }

    private static void add(String entry, String where, List<Entry> parsed, List<String> errors) {
        String[] parts = entry.split(":", 3);
        if (parts.length != 3) {
            errors.add(where + ": expected name:role:token");
            return;
        }
        String name = parts[0].strip();
        String role = parts[1].strip();
        String token = parts[2].strip();
        int before = errors.size();
        if (!name.matches("[A-Za-z0-9._@-]+")) errors.add(where + ": the name must be letters, digits, '.', '_', '@' or '-'");
        if (!Roles.ALL.contains(role)) errors.add(where + " (" + name + "): unknown role '" + role + "', expected operator or viewer");
        if (token.length() < MIN_TOKEN_LENGTH) errors.add(where + " (" + name + "): the token must have at least " + MIN_TOKEN_LENGTH + " characters");
        else if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) errors.add(where + " (" + name + "): the token must be printable ASCII without spaces");
        if (errors.size() == before) parsed.add(new Entry(new Holder(name, role), sha256(token)));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    public List<Holder> holders() {
        return entries.stream().map(Entry::holder).toList();
    }

    /** The holder of this token, if it is one of ours; looks at every entry whatever the answer (constant time). */
    public Optional<Holder> find(String token) {
        if (token == null) return Optional.empty();
        byte[] digest = sha256(token);
        Holder found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), digest) && found == null) found = e.holder();
        }
        return Optional.ofNullable(found);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
