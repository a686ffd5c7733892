package io.concertticket.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Kafka topics the contract names: the topic table of docs/contracts.md and, when present, asyncapi.yaml. */
final class Contract {

    private static final Pattern TABLE_TOPIC = Pattern.compile("^\\|\\s*`([a-z0-9][a-z0-9._-]*\\.[a-z0-9._-]+)`\\s*\\|", Pattern.MULTILINE);

    private Contract() {
    }

    static Set<String> topics() {
        Set<String> topics = new TreeSet<>(topicsOfContractsDoc(Repository.read(Repository.resolve("docs/contracts.md"))));
        topics.addAll(topicsOfAsyncApi(Repository.resolve("asyncapi.yaml")));
        return topics;
    }

    /** Where the expected topics come from, for a failure message that says whom to ask. */
    static String explain(String what, java.util.Map<String, String> usedByService) {
        return what + "; used by the services: " + usedByService
                + "; named by docs/contracts.md: " + topicsOfContractsDoc(Repository.read(Repository.resolve("docs/contracts.md")))
                + "; named by asyncapi.yaml: " + topicsOfAsyncApi(Repository.resolve("asyncapi.yaml"));
    }

    static Set<String> topicsOfContractsDoc(String markdown) {
        Set<String> topics = new TreeSet<>();
        Matcher m = TABLE_TOPIC.matcher(markdown);
        while (m.find()) {
            topics.add(m.group(1));
        }
        return topics;
    }

    /** Channel addresses of an AsyncAPI 3 document (or channel names of AsyncAPI 2). */
    static Set<String> topicsOfAsyncApi(Path file) {
        Set<String> topics = new TreeSet<>();
        if (!Files.isRegularFile(file)) {
            return topics;
        }
        try {
            JsonNode channels = Kustomize.YAML.readTree(file.toFile()).path("channels");
            channels.fields().forEachRemaining(e -> {
                JsonNode address = e.getValue().path("address");
                if (address.isTextual()) {
                    topics.add(address.asText());
                } else if (address.isMissingNode() && e.getKey().contains(".")) {
                    topics.add(e.getKey());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return topics;
    }
}
