package io.concertticket.queue.domain;

import java.security.SecureRandom;
import java.util.HexFormat;

/** A fresh seed for an opening's shuffle: 32 random bytes as lowercase hex, unknowable before the opening. */
public final class ShuffleSeeds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ShuffleSeeds() {
    }

    public static String next() {
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        return HexFormat.of().formatHex(seed);
    }
}
