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

/**
 * Each service's src/main/docker/Dockerfile.jvm follows the Quarkus JVM image convention and matches the service.
 * Every image is built with the repository root as its context, so COPY sources are paths from the root (the
 * four share deploy/docker/entrypoint.sh) and the root's .dockerignore must let each of them in.
 */
class DockerImagesTest {

    private static final Pattern EXPOSE = Pattern.compile("^EXPOSE\\s+([\\d\\s]+?)\\s*$", Pattern.MULTILINE);
    private static final Pattern JAVA_RUNTIME = Pattern.compile("(?:ubi9/openjdk-|eclipse-temurin:)(\\d+)");
    private static final Pattern RELEASE = Pattern.compile("<maven\\.compiler\\.release>(\\d+)</maven\\.compiler\\.release>");
    private static final Pattern USER = Pattern.compile("^USER\\s+(\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern FROM = Pattern.compile("^FROM\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern ENTRYPOINT_SCRIPT = Pattern.compile("^COPY\\s+(?:--\\S+\\s+)*(\\S+\\.sh)\\s+(\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern COPY_SOURCE = Pattern.compile("^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+\\S+\\s*$", Pattern.MULTILINE);

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
            Path script = Repository.resolve(m.group(1)); // the build context is the repository root
            if (dockerfile.contains(m.group(2)) && dockerfile.lines().anyMatch(l -> l.startsWith("ENTRYPOINT") && l.contains(m.group(2)))
                    && Files.isRegularFile(script) && Repository.read(script).contains("_FILE")) {
                return true;
            }
        }
        return false;
    }

    /** True when a {@code !path/} line of the root .dockerignore (which ignores everything else) covers {@code source}. */
    static boolean letInByDockerignore(String source) {
        Path ignore = Repository.resolve(".dockerignore");
        return Files.isRegularFile(ignore) && Repository.read(ignore).lines()
                .map(String::strip)
                .filter(l -> l.startsWith("!"))
                .map(l -> l.substring(1))
                .anyMatch(included -> source.startsWith(included.endsWith("/") ? included : included + "/") || source.equals(included));
    }

    /** The Java release the build compiles for (the root pom's maven.compiler.release). */
    static int javaRelease() {
        Matcher m = RELEASE.matcher(Repository.read(Repository.resolve("pom.xml")));
        return m.find() ? Integer.parseInt(m.group(1)) : 17;
    }

    @Test
    void everyServiceHasAJvmImageThatRunsTheFastJarAsANonRootUserOnItsPorts() {
        List<String> problems = new ArrayList<>();
        for (String service : Repository.services()) {
            Path file = dockerfile(service);
            if (!Files.isRegularFile(file)) {
                problems.add(service + ": no src/main/docker/Dockerfile.jvm");
                continue;
            }
            String dockerfile = Repository.read(file);
            Matcher from = FROM.matcher(dockerfile);
            Matcher java = from.find() ? JAVA_RUNTIME.matcher(from.group(1)) : null;
            int release = javaRelease();
            if (java == null || !java.find() || Integer.parseInt(java.group(1)) < release) {
                problems.add(service + ": base image is not a Java " + release + " runtime (ubi9/openjdk-" + release
                        + "-runtime or eclipse-temurin:" + release + "), the release the build compiles for");
            }
            for (String part : List.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/", "target/quarkus-app/quarkus/")) {
                if (!dockerfile.contains("COPY --chown=185 " + service + "/" + part)) {
                    problems.add(service + ": does not copy " + service + "/" + part + " (the build context is the repository root)");
                }
            }
            Matcher copy = COPY_SOURCE.matcher(dockerfile);
            while (copy.find()) {
                if (!letInByDockerignore(copy.group(1))) {
                    problems.add(service + ": COPY " + copy.group(1) + " is not let in by the root .dockerignore");
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
            ServiceSettings settings = ServiceSettings.of(service);
            java.util.Set<Integer> exposed = new java.util.TreeSet<>();
            Matcher expose = EXPOSE.matcher(dockerfile);
            while (expose.find()) {
                for (String p : expose.group(1).trim().split("\\s+")) {
                    exposed.add(Integer.parseInt(p));
                }
            }
            java.util.Set<Integer> ports = new java.util.TreeSet<>(List.of(settings.httpPort(Map.of()), settings.operationsPort(Map.of())));
            if (!exposed.equals(ports)) {
                problems.add(service + ": EXPOSE " + exposed + " is not its HTTP and management ports " + ports);
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
