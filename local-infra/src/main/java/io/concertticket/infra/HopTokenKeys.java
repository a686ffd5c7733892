package io.concertticket.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The RSA key pair the gateway signs hop tokens with ({@code HOP_TOKEN_PRIVATE_KEY_LOCATION}) and the
 * services verify them with ({@code HOP_TOKEN_PUBLIC_KEY_LOCATION}); see docs/identity.md. Generated once
 * per data directory and kept, so restarts of a service never see a new key.
 */
public record HopTokenKeys(Path directory) {

    public static final String PRIVATE_KEY_FILE = "hop-token-private.pem";
    public static final String PUBLIC_KEY_FILE = "hop-token-public.pem";

    /** PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public Path privateKey() {
        return directory.resolve(PRIVATE_KEY_FILE);
    }

    /** X.509 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}). */
    public Path publicKey() {
        return directory.resolve(PUBLIC_KEY_FILE);
    }

    /** The pair in {@code directory}, generated (RSA-2048) unless both files exist. */
    public static HopTokenKeys createIfAbsent(Path directory) throws IOException {
        HopTokenKeys keys = new HopTokenKeys(directory);
        if (Files.isRegularFile(keys.privateKey()) && Files.isRegularFile(keys.publicKey())) {
            return keys;
        }
        Files.createDirectories(directory);
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is part of every JDK", e);
        }
        // public key first: a reader that finds the private key finds its matching public key too
        write(keys.publicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        write(keys.privateKey(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        return keys;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Written to a temporary file and renamed: never a half-written key. */
    private static void write(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
