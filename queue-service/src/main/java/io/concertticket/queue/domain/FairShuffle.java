package io.concertticket.queue.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The pre-queue's order at the opening, reproducible by anyone from the published seed and the tokens:
 * each token is ranked by SHA-256 of the UTF-8 bytes of {@code seed + tokenId} (the seed as published,
 * lowercase hex; the token id in its canonical lowercase form), smallest digest first, compared byte by
 * byte as unsigned numbers. The database does the same ranking at the opening (SaleRepository); this is
 * the reference, for tests and for anyone checking an opening.
 */
public final class FairShuffle {

    private FairShuffle() {
    }

    public static List<UUID> order(String seed, List<UUID> tokens) {
        return tokens.stream()
                .map(t -> new Object[]{t, digest(seed + t)})
                .sorted(Comparator.comparing((Object[] e) -> (byte[]) e[1], Arrays::compareUnsigned).thenComparing(e -> e[0].toString()))
                .map(e -> (UUID) e[0])
                .toList();
    }

    static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
