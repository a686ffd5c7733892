package io.concertticket.concert.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * The catalogue's answers (concert list pages, a concert's schedules) rendered once and kept in memory, each
 * with an ETag of its bytes, so that a thousand people opening the sale page at once cost one query.
 *
 * <p>An entry is re-read in the background once it is {@code refresh-after} old and in use, and never served
 * older than {@code max-age}; concurrent first requests for the same entry wait for one read (a cold start
 * costs one query per entry, not one per request). The ETag is a hash of the JSON, so every replica gives the
 * same tag for the same content and a client's {@code If-None-Match} works whichever replica it reaches.
 */
@ApplicationScoped
class CatalogueCache {

    /** What is cached: one key per distinct answer. The loader renders whatever the key's supplier returns. */
    record Key(String name, Supplier<Object> read) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.name.equals(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }

    record Rendered(byte[] json, EntityTag etag) {
    }

    private final ObjectMapper json;
    private final LoadingCache<Key, Rendered> cache;
    private final String publicCaching;
    private final String privateCaching;

    CatalogueCache(ObjectMapper json, CatalogueCacheConfig config) {
        this.json = json;
        this.cache = Caffeine.newBuilder()
                .refreshAfterWrite(config.refreshAfter())
                .expireAfterWrite(config.maxAge())
                .maximumSize(10_000)
                // its own thread for the background re-reads: blocking JDBC, and the common pool has one thread on two cores
                .executor(java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "catalogue-refresh");
                    t.setDaemon(true);
                    return t;
                }))
                .build(this::render);
        long maxAge = config.httpMaxAge().toSeconds();
        // (a string: JAX-RS's CacheControl cannot say "public")
        this.publicCaching = "public, max-age=" + maxAge;
        // a shared cache must not hand an answer behind an admission check to callers the gateway never checked
        this.privateCaching = "private, max-age=" + maxAge;
    }

    /** 200 with the cached JSON, or 304 if the client's {@code If-None-Match} names it; cacheable by anyone. */
    Response publicly(Request request, String name, Supplier<Object> read) {
        return respond(request, cache.get(new Key(name, read)), publicCaching);
    }

    /** The same for an answer only the caller's credential may see: cacheable by the client alone. */
    Response privately(Request request, String name, Supplier<Object> read) {
        return respond(request, cache.get(new Key(name, read)), privateCaching);
    }

    /** Reads (and renders) an entry ahead of the first request, e.g. at start. */
    void preload(String name, Supplier<Object> read) {
        cache.get(new Key(name, read));
    }

    private static Response respond(Request request, Rendered rendered, String caching) {
        Response.ResponseBuilder notModified = request.evaluatePreconditions(rendered.etag());
        Response.ResponseBuilder builder = notModified != null
                ? notModified
                : Response.ok(rendered.json(), MediaType.APPLICATION_JSON_TYPE);
        return builder.tag(rendered.etag()).header(HttpHeaders.CACHE_CONTROL, caching).build();
    }

    private Rendered render(Key key) throws JsonProcessingException, NoSuchAlgorithmException {
        byte[] bytes = json.writeValueAsBytes(key.read().get());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        String tag = Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        return new Rendered(bytes, new EntityTag(tag));
    }
}
