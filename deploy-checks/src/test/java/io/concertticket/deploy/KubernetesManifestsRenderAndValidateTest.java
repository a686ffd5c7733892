package io.concertticket.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every overlay renders with kubectl kustomize, and every rendered object is valid Kubernetes. */
class KubernetesManifestsRenderAndValidateTest {

    @BeforeAll
    static void kubectlIsThere() {
        Kustomize.requireKubectl("the kustomize overlays cannot be rendered or validated");
    }

    static Stream<Path> overlays() {
        return Repository.overlays().stream();
    }

    @Test
    void thereAreDevAndProdOverlays() {
        assertThat(Repository.overlays()).extracting(p -> p.getFileName().toString()).contains("dev", "prod");
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void everyRenderedObjectValidatesAgainstTheKubernetesSchemas(Path overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        assertThat(objects).as("objects rendered from " + overlay).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (ObjectNode object : objects) {
            KubernetesSchemas.validate(object).forEach(p -> problems.add(Kustomize.describe(object) + ": " + p));
        }
        assertThat(problems).as("schema problems in overlay " + overlay.getFileName()).isEmpty();
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void noTwoObjectsShareKindNamespaceAndName(Path overlay) {
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (ObjectNode object : Kustomize.render(overlay)) {
            String id = object.path("apiVersion").asText() + "/" + object.path("kind").asText() + "/"
                    + object.path("metadata").path("namespace").asText() + "/" + object.path("metadata").path("name").asText();
            if (!seen.add(id)) {
                duplicates.add(id);
            }
        }
        assertThat(duplicates).isEmpty();
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void everyNamespacedObjectLivesInTheNamespaceTheOverlayCreatesOrExpects(Path overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        Set<String> namespaces = new HashSet<>();
        objects.stream().filter(o -> o.path("kind").asText().equals("Namespace"))
                .forEach(o -> namespaces.add(o.path("metadata").path("name").asText()));
        assertThat(namespaces).as("the overlay creates its namespace").isNotEmpty();
        for (ObjectNode object : objects) {
            if (!object.path("kind").asText().equals("Namespace")) {
                assertThat(object.path("metadata").path("namespace").asText())
                        .as(Kustomize.describe(object) + " namespace").isIn(namespaces);
            }
        }
    }
}
