package io.concertticket.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Renders a kustomize directory with the real {@code kubectl kustomize} (offline: it needs no cluster). */
final class Kustomize {

    static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());
    private static final Map<Path, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** The kubectl to use: $KUBECTL, else kubectl on the PATH; empty if there is none. */
    static Optional<String> kubectl() {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    /** Fails (never skips) without kubectl, so a machine without it cannot pass with the manifests unchecked. */
    static void requireKubectl(String otherwise) {
        if (kubectl().isEmpty()) {
            throw new AssertionError("kubectl is not installed and $KUBECTL is not set: " + otherwise
                    + ". Install kubectl 1.32, or export KUBECTL=\"$(scripts/kubectl.sh)\" (fetches it; .ci/run does so)");
        }
    }

    static List<ObjectNode> render(Path kustomizationDir) {
        return RENDERED.computeIfAbsent(kustomizationDir.toAbsolutePath().normalize(), Kustomize::run);
    }

    private static List<ObjectNode> run(Path dir) {
        String kubectl = kubectl().orElseThrow(() -> new IllegalStateException("kubectl not found"));
        try {
            Path err = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectError(err.toFile()).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + dir + " did not finish in 120 s");
            }
            String stderr = Files.readString(err);
            Files.deleteIfExists(err);
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + "):\n" + stderr);
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<ObjectNode> parse(String multiDocumentYaml) {
        List<ObjectNode> documents = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(multiDocumentYaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node instanceof ObjectNode object) {
                    documents.add(object);
                } else if (node != null && !node.isNull() && !node.isMissingNode()) {
                    throw new AssertionError("a rendered document is not an object: " + node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    static String describe(JsonNode object) {
        return object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
    }
}
