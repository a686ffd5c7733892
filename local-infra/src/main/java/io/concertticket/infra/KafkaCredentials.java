package io.concertticket.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Passwords of the Kafka users of a SASL broker ({@code InfraMain --kafka-sasl}): one file per user in a
 * directory ({@code <data dir>/kafka-users/<user>.password}, owner-only), random and created on first start,
 * kept afterwards. Beside each, {@code <user>.properties} holds the client settings for that user
 * ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}), usable as a Kafka tool's
 * {@code --command-config} or as a service's {@code KAFKA_SASL_JAAS_CONFIG}.
 *
 * <p>{@value #ADMIN} is the broker's own user and the only super user; it signs in with PLAIN (static, in the
 * broker's configuration), the service users with SCRAM-SHA-512 (stored in the cluster metadata).
 */
public final class KafkaCredentials {

    public static final String ADMIN = "admin";
    public static final String SCRAM = "SCRAM-SHA-512";

    private final Path directory;
    private final Map<String, String> passwords;

    private KafkaCredentials(Path directory, Map<String, String> passwords) {
        this.directory = directory;
        this.passwords = passwords;
    }

    /** Reads the passwords of {@value #ADMIN} and the given users from the directory, creating missing ones. */
    public static KafkaCredentials createIfAbsent(Path directory, Set<String> users) throws IOException {
        Files.createDirectories(directory);
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(ADMIN, password(directory, ADMIN));
        for (String user : users) {
            passwords.put(user, password(directory, user));
        }
        KafkaCredentials credentials = new KafkaCredentials(directory, passwords);
        for (String user : users) {
            Path properties = directory.resolve(user + ".properties");
            writeOwnerOnly(properties, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=" + SCRAM + "\nsasl.jaas.config="
                    + credentials.jaasConfig(user).replace("\\", "\\\\") + "\n");
        }
        return credentials;
    }

    private static String password(Path directory, String user) throws IOException {
        Path file = directory.resolve(user + ".password");
        if (Files.isRegularFile(file)) {
            String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!existing.isEmpty()) {
                return existing;
            }
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        writeOwnerOnly(file, password + "\n");
        return password;
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    public Path directory() {
        return directory;
    }

    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no Kafka user " + user);
        }
        return password;
    }

    /** The service users (every user but {@value #ADMIN}). */
    public Set<String> users() {
        Set<String> users = new java.util.LinkedHashSet<>(passwords.keySet());
        users.remove(ADMIN);
        return users;
    }

    /** {@code sasl.jaas.config} of a service user (SCRAM-SHA-512). */
    public String jaasConfig(String user) {
        return scramJaasConfig(user, password(user));
    }

    public static String scramJaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** Client settings of a service user: SASL_PLAINTEXT, SCRAM-SHA-512. */
    public Map<String, Object> clientConfig(String user) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", SCRAM, "sasl.jaas.config", jaasConfig(user));
    }

    /** Client settings of the broker's super user (PLAIN). */
    public Map<String, Object> adminClientConfig() {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config", adminJaasConfig(false));
    }

    /** The PLAIN login of {@value #ADMIN}; for the broker's side also the list of PLAIN users (admin alone). */
    String adminJaasConfig(boolean server) {
        String password = password(ADMIN);
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN + "\" password=\"" + password + "\""
                + (server ? " user_" + ADMIN + "=\"" + password + "\"" : "") + ";";
    }
}
