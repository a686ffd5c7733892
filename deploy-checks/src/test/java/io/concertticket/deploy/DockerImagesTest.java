package io.concertticket.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Each service's src/main/docker/Dockerfile.jvm follows the Quarkus JVM image convention and matches the service. */
class DockerImagesTest {

    private static final Pattern EXPOSE = Pattern.compile("^EXPOSE\\s+(\\d+)\\s*$", Pattern.MULTILINE);
    private static final Pattern USER = Pattern.compile("^USER\\s+(\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern FROM = Pattern.compile("^FROM\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern ENTRYPOINT_SCRIPT = Pattern.compile("^COPY\\s+.*src/main/docker/(\\S+\\.sh)\\s+(\\S+)\\s*$", Pattern.MULTILINE);

    static Path dockerfile(String service) {
        return Repository.resolve(service).resolve("src/main/docker/Dockerfile.jvm");
    }

    /** True when the image's entrypoint script implements the NAME_FILE → NAME convention for secrets. */
    static boolean entrypointSupportsFileVariables(String service) {
        Path file = dockerfile(service);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        String dockerfile = Repository.read(file);
        Matcher m = ENTRYPOINT_SCRIPT.matcher(dockerfile);
        while (m.find()) {
            Path script = Repository.resolve(service).resolve("src/main/docker").resolve(m.group(1));
            if (dockerfile.contains(m.group(2)) && dockerfile.lines().anyMatch(l -> l.startsWith("ENTRYPOINT") && l.contains(m.group(2)))
                    && Files.isRegularFile(script) && Repository.read(script).contains("_FILE")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyServiceHasAJvmImageThatRunsTheFastJarAsANonRootUserOnItsPort() {
        List<String> problems = new ArrayList<>();
        for (String service : Repository.services()) {
            Path file = dockerfile(service);
            if (!Files.isRegularFile(file)) {
                problems.add(service + ": no src/main/docker/Dockerfile.jvm");
                continue;
            }
            String dockerfile = Repository.read(file);
            Matcher from = FROM.matcher(dockerfile);
            if (!from.find() || !(from.group(1).contains("ubi9/openjdk-17") || from.group(1).startsWith("eclipse-temurin:17"))) {
                problems.add(service + ": base image is not a Java 17 runtime (ubi9/openjdk-17-runtime or eclipse-temurin:17)");
            }
            for (String part : List.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/", "target/quarkus-app/quarkus/")) {
                if (!dockerfile.contains(part)) {
                    problems.add(service + ": does not copy " + part);
                }
            }
            Matcher user = USER.matcher(dockerfile);
            String lastUser = null;
            while (user.find()) {
                lastUser = user.group(1);
            }
            if (lastUser == null || !lastUser.matches("\\d+(:\\d+)?") || lastUser.startsWith("0")) {
                problems.add(service + ": runs as " + lastUser + "; the image must end with a numeric non-root USER (e.g. 185)");
            }
            int port = ServiceSettings.of(service).httpPort(Map.of());
            Matcher expose = EXPOSE.matcher(dockerfile);
            if (!expose.find() || Integer.parseInt(expose.group(1)) != port) {
                problems.add(service + ": EXPOSE is not its HTTP port " + port);
            }
            for (String line : dockerfile.lines().filter(l -> l.startsWith("ENV ")).toList()) {
                if (line.matches("(?i)ENV\\s+\\S*(PASSWORD|SECRET|PRIVATE_KEY)\\S*[= ].*")) {
                    problems.add(service + ": the image bakes in a credential: " + line);
                }
            }
            if (!entrypointSupportsFileVariables(service)) {
                problems.add(service + ": the entrypoint does not support the _FILE convention docker-compose.yml relies on");
            }
        }
        assertThat(problems).isEmpty();
    }
}
