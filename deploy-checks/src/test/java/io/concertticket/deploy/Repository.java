package io.concertticket.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository as it is on disk at test time: the deployment artifacts and the services they deploy.
 * Nothing is copied into this module, so the checks follow the services as they change.
 */
final class Repository {

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    private Repository() {
    }

    static Path root() {
        String configured = System.getProperty("deploy-checks.repository-root");
        if (configured != null && !configured.isBlank() && isRoot(Path.of(configured))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root (a directory with pom.xml and k8s/) not found above "
                + Path.of("").toAbsolutePath());
    }

    private static boolean isRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("k8s"));
    }

    static Path resolve(String relative) {
        return root().resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Modules of the root pom, in build order. */
    static List<String> modules() {
        Matcher m = MODULE.matcher(read(resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            modules.add(m.group(1).trim());
        }
        return modules;
    }

    /**
     * The deployable services: modules built with the Quarkus Maven plugin that have an application.properties.
     * (Libraries such as event-backbone are not deployed on their own.)
     */
    static List<String> services() {
        List<String> services = new ArrayList<>();
        for (String module : modules()) {
            Path dir = resolve(module);
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && read(pom).contains("<artifactId>quarkus-maven-plugin</artifactId>")
                    && Files.isRegularFile(dir.resolve("src/main/resources/application.properties"))) {
                services.add(module);
            }
        }
        return services;
    }

    static List<Path> overlays() {
        try (var dirs = Files.list(resolve("k8s/overlays"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
